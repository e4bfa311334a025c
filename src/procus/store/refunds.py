"""Refunds given back from payments (``refunds``)."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import msgspec

from procus.domain.admin_lists import MoneySearch
from procus.domain.errors import NotFound
from procus.domain.payment_states import RefundStatus
from procus.domain.payments import Refund
from procus.store.db import Connection
from procus.store.search_args import money_search, money_search_args

__all__ = [
    "find_refund_by_provider_id",
    "find_unmatched_refund",
    "get_refund",
    "insert_refund",
    "list_refunds",
    "note_refund_error",
    "refunds_due",
    "refunds_of_payment",
    "retire_attempt",
    "search_refunds",
    "update_refund",
]

_COLUMNS = """
    id, payment_id, amount, currency, status::text AS status, reason, provider_refund_id, attempts, last_error,
    next_attempt_at, created_at, updated_at, processed_at
"""

INSERT_REFUND = f"""
INSERT INTO refunds (payment_id, amount, currency, reason, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $5) RETURNING {_COLUMNS}
"""
SELECT_REFUND = f"SELECT {_COLUMNS} FROM refunds WHERE id = $1"
SELECT_BY_PROVIDER_ID = f"""
SELECT {_COLUMNS}, provider_refund_id IS DISTINCT FROM $1 AS stale FROM refunds
WHERE provider_refund_id = $1 OR $1 = ANY(failed_provider_ids)
"""
# A refund sent with an unknown outcome: the oldest of the payment's with this amount the provider has not named.
SELECT_UNMATCHED = f"""
SELECT {_COLUMNS} FROM refunds
WHERE payment_id = $1 AND amount = $2 AND provider_refund_id IS NULL AND status = 'submitting'
ORDER BY created_at, id LIMIT 1 FOR UPDATE
"""
RETIRE_ATTEMPT = """
UPDATE refunds SET failed_provider_ids = failed_provider_ids || provider_refund_id, provider_refund_id = NULL
WHERE id = $1 AND provider_refund_id IS NOT NULL
"""
NOTE_ERROR = "UPDATE refunds SET last_error = $2, updated_at = $3 WHERE id = $1"
UPDATE_REFUND = f"""
UPDATE refunds SET status = $2::refund_status, updated_at = $3,
    provider_refund_id = coalesce(provider_refund_id, $4),
    last_error = $5,
    next_attempt_at = $6,
    attempts = attempts + $7,
    processed_at = CASE WHEN $2::refund_status = 'processed' THEN $3 ELSE processed_at END
WHERE id = $1 RETURNING {_COLUMNS}
"""
SELECT_DUE = f"""
SELECT {_COLUMNS} FROM refunds
WHERE (status = 'failed' AND attempts < $2 AND coalesce(next_attempt_at, updated_at) <= $1)
   OR (status = 'queued' AND updated_at <= $3)
ORDER BY updated_at LIMIT $4
"""
SELECT_UNCONFIRMED_AMOUNT = """
SELECT coalesce(sum(amount), 0) FROM refunds WHERE payment_id = $1 AND status <> 'processed'
"""
SELECT_LIST = f"""
SELECT {_COLUMNS} FROM refunds WHERE $1::refund_status[] IS NULL OR status = ANY($1::refund_status[])
ORDER BY updated_at DESC LIMIT $2
"""

SELECT_OF_PAYMENT = f"SELECT {_COLUMNS} FROM refunds WHERE payment_id = $1 ORDER BY created_at, id"
SEARCH_REFUNDS = money_search(
    """
SELECT r.id, r.payment_id, r.amount, r.currency, r.status::text AS status, r.reason, r.provider_refund_id,
       r.attempts, r.last_error, r.next_attempt_at, r.created_at, r.updated_at, r.processed_at
FROM refunds r JOIN payments p ON p.id = r.payment_id""",
    user_match="p.client_id = $2 OR p.expert_id = $2",
    table="r.",
)


def _to_refund(row: asyncpg.Record) -> Refund:
    return msgspec.convert(dict(row), Refund)


async def insert_refund(
    conn: Connection, *, payment_id: uuid.UUID, amount: int, currency: str, reason: str, at: dt.datetime
) -> Refund:
    row = await conn.fetchrow(INSERT_REFUND, payment_id, amount, currency, reason, at)
    assert row is not None
    return _to_refund(row)


async def get_refund(conn: Connection, refund_id: uuid.UUID, *, lock: bool = False) -> Refund:
    row = await conn.fetchrow(SELECT_REFUND + (" FOR UPDATE" if lock else ""), refund_id)
    if row is None:
        raise NotFound.no_such("refund")
    return _to_refund(row)


async def find_refund_by_provider_id(conn: Connection, provider_refund_id: int) -> tuple[Refund, bool] | None:
    """The refund (locked) that this provider refund is or was an attempt of, and whether it is an old attempt."""
    row = await conn.fetchrow(SELECT_BY_PROVIDER_ID + " FOR UPDATE", provider_refund_id)
    if row is None:
        return None
    return _to_refund(row), bool(row["stale"])


async def retire_attempt(conn: Connection, refund_id: uuid.UUID) -> None:
    """Forget the current provider attempt before trying again (it failed there)."""
    await conn.execute(RETIRE_ATTEMPT, refund_id)


async def note_refund_error(conn: Connection, refund_id: uuid.UUID, error: str, at: dt.datetime) -> None:
    await conn.execute(NOTE_ERROR, refund_id, error, at)


async def find_unmatched_refund(conn: Connection, payment_id: uuid.UUID, amount: int) -> Refund | None:
    row = await conn.fetchrow(SELECT_UNMATCHED, payment_id, amount)
    return _to_refund(row) if row else None


async def update_refund(
    conn: Connection,
    refund_id: uuid.UUID,
    status: RefundStatus,
    at: dt.datetime,
    *,
    provider_refund_id: int | None = None,
    last_error: str | None = None,
    next_attempt_at: dt.datetime | None = None,
    attempted: bool = False,
) -> Refund:
    row = await conn.fetchrow(
        UPDATE_REFUND,
        refund_id,
        status.value,
        at,
        provider_refund_id,
        last_error,
        next_attempt_at,
        1 if attempted else 0,
    )
    if row is None:
        raise NotFound.no_such("refund")
    return _to_refund(row)


async def refunds_due(
    conn: Connection, now: dt.datetime, *, max_attempts: int, queued_before: dt.datetime, limit: int = 100
) -> list[Refund]:
    """Failed refunds whose retry time has come, and queued ones whose job seems lost."""
    rows = await conn.fetch(SELECT_DUE, now, max_attempts, queued_before, limit)
    return [_to_refund(row) for row in rows]


async def list_refunds(conn: Connection, statuses: list[RefundStatus] | None, limit: int = 100) -> list[Refund]:
    wanted = [status.value for status in statuses] if statuses else None
    return [_to_refund(row) for row in await conn.fetch(SELECT_LIST, wanted, limit)]


async def search_refunds(conn: Connection, search: MoneySearch) -> list[Refund]:
    """Up to ``search.limit + 1`` refunds, newest first; ``user_id`` matches the payment's client or expert."""
    return [_to_refund(row) for row in await conn.fetch(SEARCH_REFUNDS, *money_search_args(search))]


async def refunds_of_payment(conn: Connection, payment_id: uuid.UUID) -> list[Refund]:
    return [_to_refund(row) for row in await conn.fetch(SELECT_OF_PAYMENT, payment_id)]


async def unconfirmed_amount(conn: Connection, payment_id: uuid.UUID) -> int:
    """What the payment's refunds give back that the provider has not confirmed as processed yet."""
    amount: int = await conn.fetchval(SELECT_UNCONFIRMED_AMOUNT, payment_id)
    return amount
