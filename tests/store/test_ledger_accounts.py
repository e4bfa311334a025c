"""Resolving a ledger entry's accounts: opened on first use, then found in one round trip for all lines."""

from __future__ import annotations

import asyncio
from typing import Any

from procus.domain.ledger import AccountKind, AccountRef
from procus.store import ledger
from procus.store.db import Connection, Database
from tests.support.experts import insert_expert


class CountingConnection:
    """Passes statements through to the connection and counts them."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self.statements = 0

    async def fetch(self, *args: Any) -> Any:
        self.statements += 1
        return await self._conn.fetch(*args)

    async def fetchval(self, *args: Any) -> Any:
        self.statements += 1
        return await self._conn.fetchval(*args)


async def test_an_entrys_accounts_are_opened_once_then_found_together(db: Database) -> None:
    expert_id = await insert_expert(db)
    accounts = [
        AccountRef(kind=AccountKind.ESCROW_HELD, currency="NGN", owner_id=expert_id),
        AccountRef(kind=AccountKind.PLATFORM_FEES, currency="NGN"),
        AccountRef(kind=AccountKind.EXPERT_AVAILABLE, currency="NGN", owner_id=expert_id),
    ]
    async with db.transaction() as tx:
        opened = await ledger.account_ids(tx, accounts)
    assert len(set(opened)) == 3

    async with db.transaction() as tx:
        counting = CountingConnection(tx)
        found = await ledger.account_ids(counting, accounts[::-1])  # type: ignore[arg-type]
        assert found == opened[::-1]
        assert counting.statements == 1, "accounts that exist are found in one round trip"
        assert [await ledger.account_id(tx, account) for account in accounts] == opened
        other_currency = AccountRef(kind=AccountKind.PLATFORM_FEES, currency="GHS")
        [fees_ngn, fees_ghs] = await ledger.account_ids(tx, [accounts[1], other_currency])
        assert fees_ngn == opened[1]
        assert fees_ghs not in opened


async def test_concurrent_first_uses_of_an_account_agree_on_it(db: Database) -> None:
    expert_id = await insert_expert(db)
    account = AccountRef(kind=AccountKind.PAYOUTS_PENDING, currency="NGN", owner_id=expert_id)

    async def resolve() -> list[int]:
        async with db.transaction() as tx:
            return await ledger.account_ids(tx, [account])

    results = await asyncio.gather(*(resolve() for _ in range(5)))
    assert len({ids[0] for ids in results}) == 1
