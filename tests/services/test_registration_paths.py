"""Registering a taken email must do the same awaited work as registering a new one.

Not a timed test (timing figures belong in bench/): it checks the structure that makes the two
paths take the same time. Both hash the password once (the ~250 ms step that dominates), run one
transaction and queue one email; only which email differs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from procus.domain.accounts import Role
from procus.domain.login_throttle import LoginDelay
from procus.services.auth.passwords import PasswordHasher
from procus.services.auth.registration import RegistrationService
from procus.services.auth.signin import AuthPolicy
from procus.services.auth.tokens import AccessTokens
from procus.store.db import Connection, Database, IsolationLevel
from tests.support.accounts import PASSWORD, queued_emails, unique_email
from tests.support.fakes import FakeClock, FakeGoogleIdentity


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__(cost=4)
        self.hashes = 0

    async def hash(self, password: str) -> str:
        self.hashes += 1
        return await super().hash(password)


class CountingDatabase(Database):
    """The test database, counting the transactions opened through it."""

    def __init__(self, inner: Database) -> None:
        super().__init__(inner.pool)
        self.transactions = 0

    @asynccontextmanager
    async def transaction(self, isolation: IsolationLevel = "read_committed") -> AsyncIterator[Connection]:
        self.transactions += 1
        async with super().transaction(isolation) as tx:
            yield tx


def _policy() -> AuthPolicy:
    return AuthPolicy(
        refresh_ttl=dt.timedelta(days=30),
        login_delay=LoginDelay(free=5, base=dt.timedelta(seconds=1), cap=dt.timedelta(seconds=60)),
        address_login_delay=LoginDelay(free=20, base=dt.timedelta(seconds=1), cap=dt.timedelta(seconds=60)),
        login_failure_window=dt.timedelta(minutes=15),
        password_reset_ttl=dt.timedelta(hours=1),
        password_reset_cooldown=dt.timedelta(minutes=5),
        email_verification_ttl=dt.timedelta(days=3),
        public_url="http://127.0.0.1:8000",
    )


async def _emails_queued(db: Database, to: str) -> list[int]:
    return [len(await queued_emails(db, template, to)) for template in ("email_verification", "registration_attempt")]


async def test_a_taken_email_costs_one_hash_one_transaction_and_one_email_like_a_new_one(
    db: Database, clock: FakeClock, google: FakeGoogleIdentity
) -> None:
    hasher = CountingHasher()
    counted = CountingDatabase(db)
    service = RegistrationService(
        counted, clock, hasher, AccessTokens("x" * 32, dt.timedelta(minutes=15)), _policy(), google
    )
    email = unique_email()

    async def register() -> tuple[int, int]:
        hashes, transactions = hasher.hashes, counted.transactions
        await service.register(email=email, password=PASSWORD, full_name="Ada Lovelace", role=Role.CLIENT)
        return hasher.hashes - hashes, counted.transactions - transactions

    assert await register() == (1, 1)
    assert await _emails_queued(db, email) == [1, 0]
    assert await register() == (1, 1)
    assert await _emails_queued(db, email) == [1, 1]
