"""The ledger tables: accounts, and append-only entries of balanced lines (checked again by the database)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from procus.domain.ledger import AccountKind, AccountRef, Entry
from procus.domain.payouts import ExpertBalance
from procus.store.db import Connection

__all__ = ["account_balance", "account_id", "account_ids", "expert_balances", "lock_account", "post_entry"]

SELECT_ACCOUNT = """
SELECT id FROM ledger_accounts
WHERE kind = $1::ledger_account_kind AND owner_id IS NOT DISTINCT FROM $2 AND currency = $3
"""
SELECT_ACCOUNTS = """
SELECT a.id
FROM unnest($1::ledger_account_kind[], $2::uuid[], $3::char(3)[]) WITH ORDINALITY AS w(kind, owner_id, currency, n)
LEFT JOIN ledger_accounts a
  ON a.kind = w.kind AND a.owner_id IS NOT DISTINCT FROM w.owner_id AND a.currency = w.currency
ORDER BY w.n
"""
INSERT_ACCOUNT = """
INSERT INTO ledger_accounts (kind, owner_id, currency) VALUES ($1::ledger_account_kind, $2, $3)
ON CONFLICT (kind, owner_id, currency) DO NOTHING RETURNING id
"""
LOCK_ACCOUNT = "SELECT id FROM ledger_accounts WHERE id = $1 FOR NO KEY UPDATE"
ACCOUNT_BALANCE = "SELECT coalesce(sum(amount), 0)::bigint FROM ledger_lines WHERE account_id = $1"
INSERT_ENTRY = """
INSERT INTO ledger_entries (kind, payment_id, refund_id, payout_id, memo, created_at)
VALUES ($1::ledger_entry_kind, $2, $3, $4, $5, $6) RETURNING id
"""
INSERT_LINES = """
INSERT INTO ledger_lines (entry_id, account_id, currency, amount)
SELECT $1, account_id, currency, amount
FROM unnest($2::bigint[], $3::text[], $4::bigint[]) AS l(account_id, currency, amount)
"""
EXPERT_BALANCES = """
SELECT a.kind::text AS kind, a.currency, coalesce(sum(l.amount), 0)::bigint AS balance
FROM ledger_accounts a LEFT JOIN ledger_lines l ON l.account_id = a.id
WHERE a.owner_id = $1
GROUP BY a.kind, a.currency
"""


async def account_id(conn: Connection, account: AccountRef) -> int:
    """The account's id, opening it on first use (safe against a concurrent first use)."""
    found = await conn.fetchval(SELECT_ACCOUNT, account.kind.value, account.owner_id, account.currency)
    return int(found) if found is not None else await _open_account(conn, account)


async def account_ids(conn: Connection, accounts: Sequence[AccountRef]) -> list[int]:
    """The accounts' ids, in order: one round trip once they all exist, each missing one opened as
    :func:`account_id` opens it. Posting an entry resolves all its lines' accounts at once this way."""
    rows = await conn.fetch(
        SELECT_ACCOUNTS,
        [account.kind.value for account in accounts],
        [account.owner_id for account in accounts],
        [account.currency for account in accounts],
    )
    return [
        int(row["id"]) if row["id"] is not None else await _open_account(conn, account)
        for row, account in zip(rows, accounts, strict=True)
    ]


async def _open_account(conn: Connection, account: AccountRef) -> int:
    """Open an account not found a moment ago; a concurrent first use may have opened it meanwhile."""
    args = (account.kind.value, account.owner_id, account.currency)
    for statement in (INSERT_ACCOUNT, SELECT_ACCOUNT):
        found = await conn.fetchval(statement, *args)
        if found is not None:
            return int(found)
    raise RuntimeError(f"ledger account {account} could not be opened")


async def lock_account(conn: Connection, account: AccountRef) -> int:
    """Take the account's row lock until the transaction ends: whoever spends from it goes one at a time.

    ``NO KEY UPDATE`` leaves postings *into* the account (which only take a key-share lock through the
    foreign key) unblocked: only spending needs to be serialised."""
    found = await account_id(conn, account)
    await conn.execute(LOCK_ACCOUNT, found)
    return found


async def account_balance(conn: Connection, account: AccountRef) -> int:
    return int(await conn.fetchval(ACCOUNT_BALANCE, await account_id(conn, account)))


async def post_entry(conn: Connection, entry: Entry, at: dt.datetime) -> int:
    """Append ``entry``; the database refuses it at commit unless it balances."""
    entry_id = int(
        await conn.fetchval(
            INSERT_ENTRY, entry.kind.value, entry.payment_id, entry.refund_id, entry.payout_id, entry.memo, at
        )
    )
    ids = await account_ids(conn, [line.account for line in entry.lines])
    currencies = [line.account.currency for line in entry.lines]
    amounts = [line.amount for line in entry.lines]
    await conn.execute(INSERT_LINES, entry_id, ids, currencies, amounts)
    return entry_id


async def expert_balances(conn: Connection, expert_id: uuid.UUID) -> list[ExpertBalance]:
    sums: dict[str, dict[str, int]] = {}
    for row in await conn.fetch(EXPERT_BALANCES, expert_id):
        sums.setdefault(row["currency"], {})[row["kind"]] = int(row["balance"])
    return [
        ExpertBalance(
            currency=currency,
            available=by_kind.get(AccountKind.EXPERT_AVAILABLE, 0),
            pending=by_kind.get(AccountKind.PAYOUTS_PENDING, 0),
            paid_out=by_kind.get(AccountKind.EXPERT_PAID_OUT, 0),
            held=by_kind.get(AccountKind.ESCROW_HELD, 0),
        )
        for currency, by_kind in sorted(sums.items())
    ]
