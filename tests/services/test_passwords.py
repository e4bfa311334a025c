"""The unknown-email path must cost one bcrypt comparison, like a wrong password does."""

from __future__ import annotations

import time

import bcrypt

from procus.services.auth.passwords import PasswordHasher


async def test_hash_and_verify_round_trip() -> None:
    hasher = PasswordHasher(cost=4)
    hashed = await hasher.hash("correct horse battery")
    assert hashed.startswith("$2b$04$")
    assert await hasher.verify("correct horse battery", hashed)
    assert not await hasher.verify("wrong horse battery", hashed)


def test_a_missing_hash_fails_after_spending_a_real_comparison() -> None:
    import asyncio

    hasher = PasswordHasher(cost=10)
    hashed = asyncio.run(hasher.hash("correct horse battery"))
    assert not asyncio.run(hasher.verify("correct horse battery", None))

    def best_of_three(password_hash: str | None) -> float:
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            asyncio.run(hasher.verify("guess guess guess", password_hash))
            timings.append(time.perf_counter() - started)
        return min(timings)

    # Not a performance target: both paths must do the same kind of work. A bare check is ~µs;
    # a cost-10 bcrypt is tens of ms. The ratio bound is loose on purpose.
    unknown, wrong = best_of_three(None), best_of_three(hashed)
    single = min(_bcrypt_check_time() for _ in range(3))
    assert unknown > single * 0.5
    assert wrong > single * 0.5


def _bcrypt_check_time() -> float:
    hashed = bcrypt.hashpw(b"x", bcrypt.gensalt(10))
    started = time.perf_counter()
    bcrypt.checkpw(b"y", hashed)
    return time.perf_counter() - started
