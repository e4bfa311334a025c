"""The unknown-email path must cost one bcrypt comparison, like a wrong password does."""

from __future__ import annotations

import bcrypt
import pytest

from procus.services.auth.passwords import PasswordHasher


async def test_hash_and_verify_round_trip() -> None:
    hasher = PasswordHasher(cost=4)
    hashed = await hasher.hash("correct horse battery")
    assert hashed.startswith("$2b$04$")
    assert await hasher.verify("correct horse battery", hashed)
    assert not await hasher.verify("wrong horse battery", hashed)


async def test_a_missing_hash_fails_after_a_real_comparison_at_the_same_cost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both paths must do the same work: one bcrypt check against a hash of the hasher's cost.

    Checked structurally (which hash bcrypt compared against) rather than by timing, so the test
    means the same on a loaded machine; timing figures belong in bench/.
    """
    hasher = PasswordHasher(cost=5)
    hashed = await hasher.hash("correct horse battery")
    compared: list[bytes] = []
    real_check = bcrypt.checkpw

    def recording_check(password: bytes, target: bytes) -> bool:
        compared.append(target)
        return real_check(password, target)

    monkeypatch.setattr(bcrypt, "checkpw", recording_check)
    assert not await hasher.verify("correct horse battery", None)
    assert not await hasher.verify("guess guess guess", hashed)
    unknown, wrong = compared
    assert unknown != hashed.encode()
    assert unknown[:7] == wrong[:7] == b"$2b$05$"
