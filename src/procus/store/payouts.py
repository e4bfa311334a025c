"""Experts' bank accounts and payouts (``payout_accounts``, ``payouts``, ``payout_events``)."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import msgspec

from procus.domain.admin_lists import MoneySearch
from procus.domain.errors import NotFound
from procus.domain.payout_states import PayoutStatus
from procus.domain.payouts import Payout, PayoutAccount
from procus.store.db import Connection
from procus.store.search_args import money_search, money_search_args

__all__ = [
    "get_payout",
    "get_payout_account",
    "insert_payout",
    "insert_payout_event",
    "list_payout_accounts",
    "list_payouts",
    "search_payouts",
    "set_payout_status",
    "stale_payouts",
    "upsert_payout_account",
]

_ACCOUNT_COLUMNS = "expert_id, currency, recipient_code, bank_code, account_last4, name, updated_at"
_COLUMNS = """
    id, expert_id, amount, currency, status::text AS status, recipient_code, transfer_code, failure_reason,
    created_at, updated_at
"""

UPSERT_ACCOUNT = f"""
INSERT INTO payout_accounts (
    expert_id, currency, recipient_code, bank_code, account_last4, name, created_at, updated_at
) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
ON CONFLICT (expert_id, currency) DO UPDATE SET recipient_code = excluded.recipient_code,
    bank_code = excluded.bank_code, account_last4 = excluded.account_last4, name = excluded.name,
    updated_at = excluded.updated_at
RETURNING {_ACCOUNT_COLUMNS}
"""
SELECT_ACCOUNT = f"SELECT {_ACCOUNT_COLUMNS} FROM payout_accounts WHERE expert_id = $1 AND currency = $2"
SELECT_ACCOUNTS = f"SELECT {_ACCOUNT_COLUMNS} FROM payout_accounts WHERE expert_id = $1 ORDER BY currency"
INSERT_PAYOUT = f"""
INSERT INTO payouts (expert_id, amount, currency, recipient_code, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5) RETURNING {_COLUMNS}
"""
SELECT_PAYOUT = f"SELECT {_COLUMNS} FROM payouts WHERE id = $1"
SELECT_LIST = f"SELECT {_COLUMNS} FROM payouts WHERE expert_id = $1 ORDER BY created_at DESC, id LIMIT $2"
SELECT_STALE = f"""
SELECT {_COLUMNS} FROM payouts WHERE status IN ('pending', 'processing') AND updated_at <= $1
ORDER BY updated_at LIMIT $2
"""
UPDATE_STATUS = f"""
UPDATE payouts SET status = $2::payout_status, updated_at = $3, transfer_code = coalesce($4, transfer_code),
    failure_reason = coalesce($5, failure_reason)
WHERE id = $1 RETURNING {_COLUMNS}
"""
INSERT_EVENT = """
INSERT INTO payout_events (payout_id, from_status, to_status, reason, created_at) VALUES ($1, $2, $3, $4, $5)
"""

SEARCH_PAYOUTS = money_search(f"SELECT {_COLUMNS} FROM payouts", user_match="expert_id = $2")


def _to_account(row: asyncpg.Record) -> PayoutAccount:
    return PayoutAccount(**dict(row))


def _to_payout(row: asyncpg.Record) -> Payout:
    return msgspec.convert(dict(row), Payout)


async def upsert_payout_account(
    conn: Connection,
    *,
    expert_id: uuid.UUID,
    currency: str,
    recipient_code: str,
    bank_code: str,
    account_last4: str,
    name: str,
    at: dt.datetime,
) -> PayoutAccount:
    row = await conn.fetchrow(UPSERT_ACCOUNT, expert_id, currency, recipient_code, bank_code, account_last4, name, at)
    assert row is not None
    return _to_account(row)


async def get_payout_account(conn: Connection, expert_id: uuid.UUID, currency: str) -> PayoutAccount:
    row = await conn.fetchrow(SELECT_ACCOUNT, expert_id, currency)
    if row is None:
        raise NotFound("payout_account_not_found", f"Register a bank account for {currency} payouts first")
    return _to_account(row)


async def list_payout_accounts(conn: Connection, expert_id: uuid.UUID) -> list[PayoutAccount]:
    return [_to_account(row) for row in await conn.fetch(SELECT_ACCOUNTS, expert_id)]


async def insert_payout(
    conn: Connection,
    *,
    expert_id: uuid.UUID,
    amount: int,
    currency: str,
    recipient_code: str,
    at: dt.datetime,
) -> Payout:
    row = await conn.fetchrow(INSERT_PAYOUT, expert_id, amount, currency, recipient_code, at)
    assert row is not None
    return _to_payout(row)


async def get_payout(conn: Connection, payout_id: uuid.UUID, *, lock: bool = False) -> Payout:
    row = await conn.fetchrow(SELECT_PAYOUT + (" FOR UPDATE" if lock else ""), payout_id)
    if row is None:
        raise NotFound.no_such("payout")
    return _to_payout(row)


async def list_payouts(conn: Connection, expert_id: uuid.UUID, limit: int = 100) -> list[Payout]:
    return [_to_payout(row) for row in await conn.fetch(SELECT_LIST, expert_id, limit)]


async def stale_payouts(conn: Connection, cutoff: dt.datetime, limit: int = 100) -> list[Payout]:
    return [_to_payout(row) for row in await conn.fetch(SELECT_STALE, cutoff, limit)]


async def set_payout_status(
    conn: Connection,
    payout_id: uuid.UUID,
    status: PayoutStatus,
    at: dt.datetime,
    *,
    transfer_code: str | None = None,
    failure_reason: str | None = None,
) -> Payout:
    row = await conn.fetchrow(UPDATE_STATUS, payout_id, status.value, at, transfer_code, failure_reason)
    if row is None:
        raise NotFound.no_such("payout")
    return _to_payout(row)


async def insert_payout_event(
    conn: Connection,
    payout_id: uuid.UUID,
    *,
    from_status: str | None,
    to_status: str,
    at: dt.datetime,
    reason: str = "",
) -> None:
    await conn.execute(INSERT_EVENT, payout_id, from_status, to_status, reason, at)


async def search_payouts(conn: Connection, search: MoneySearch) -> list[Payout]:
    """Up to ``search.limit + 1`` payouts, newest first."""
    return [_to_payout(row) for row in await conn.fetch(SEARCH_PAYOUTS, *money_search_args(search))]
