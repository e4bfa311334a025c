"""Payments and their event history (``payments``, ``payment_events``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from procus.domain.admin_lists import MoneySearch
from procus.domain.cursors import TimeCursor
from procus.domain.errors import NotFound
from procus.domain.payment_states import PaymentStatus
from procus.domain.payments import ChargeReport, Payment, PaymentEvent
from procus.store.db import Connection
from procus.store.search_args import NEWEST_CREATED, money_search, money_search_args

__all__ = [
    "find_payment_by_booking",
    "find_payment_by_reference",
    "get_payment",
    "insert_payment",
    "insert_payment_event",
    "list_payment_events",
    "payments_of_payer",
    "record_charge",
    "record_settlement",
    "replace_checkout",
    "search_payments",
    "set_payment_status",
    "stale_pending_payments",
]

_COLUMNS = """
    id, booking_id, reference, client_id, expert_id, amount, currency, status::text AS status, authorization_url,
    provider_transaction_id, received_amount, received_currency, paid_at, refunded_amount, expert_amount,
    fee_amount, fee_bps, created_at, updated_at
"""

INSERT_PAYMENT = f"""
INSERT INTO payments (booking_id, reference, client_id, expert_id, amount, currency, authorization_url,
    created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
RETURNING {_COLUMNS}
"""
SELECT_BY_ID = f"SELECT {_COLUMNS} FROM payments WHERE id = $1"
SELECT_BY_BOOKING = f"SELECT {_COLUMNS} FROM payments WHERE booking_id = $1"
SELECT_BY_REFERENCE = f"""
SELECT {_COLUMNS} FROM payments
WHERE reference = $1 OR id = (SELECT payment_id FROM payment_checkouts WHERE reference = $1)
"""
REPLACE_CHECKOUT = f"""
WITH kept AS (
    INSERT INTO payment_checkouts (reference, payment_id, authorization_url, replaced_at)
    SELECT reference, id, authorization_url, $4 FROM payments WHERE id = $1
)
UPDATE payments SET reference = $2, authorization_url = $3, updated_at = $4 WHERE id = $1 RETURNING {_COLUMNS}
"""
UPDATE_STATUS = f"""
UPDATE payments SET status = $2::payment_status, updated_at = $3 WHERE id = $1 RETURNING {_COLUMNS}
"""
UPDATE_CHARGE = f"""
UPDATE payments SET provider_transaction_id = $2, received_amount = $3, received_currency = $4,
    paid_at = $5, updated_at = $6
WHERE id = $1 AND received_amount IS NULL
RETURNING {_COLUMNS}
"""
UPDATE_SETTLEMENT = f"""
UPDATE payments SET refunded_amount = $2, expert_amount = $3, fee_amount = $4, fee_bps = $5, updated_at = $6
WHERE id = $1 RETURNING {_COLUMNS}
"""
INSERT_EVENT = """
INSERT INTO payment_events (payment_id, refund_id, from_status, to_status, reason, detail, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
"""
SELECT_STALE_PENDING = f"""
SELECT {_COLUMNS} FROM payments WHERE status = 'pending' AND created_at <= $1 ORDER BY created_at LIMIT $2
"""

SELECT_EVENTS = """
SELECT id, payment_id, refund_id, from_status, to_status, reason, detail, created_at
FROM payment_events WHERE payment_id = $1 ORDER BY id
"""
SELECT_OF_PAYER = f"""
SELECT {_COLUMNS} FROM payments
WHERE client_id = $1 {NEWEST_CREATED.page(2)}
"""
SEARCH_PAYMENTS = money_search(f"SELECT {_COLUMNS} FROM payments", user_match="client_id = $2 OR expert_id = $2")


def _to_payment(row: asyncpg.Record) -> Payment:
    values = dict(row)
    values["status"] = PaymentStatus(values["status"])
    values["currency"] = values["currency"].strip()
    if values["received_currency"] is not None:
        values["received_currency"] = values["received_currency"].strip()
    return Payment(**values)


def _lock(sql: str, lock: bool) -> str:
    return f"{sql} FOR UPDATE" if lock else sql


async def insert_payment(
    conn: Connection,
    *,
    booking_id: uuid.UUID,
    reference: str,
    client_id: uuid.UUID,
    expert_id: uuid.UUID,
    amount: int,
    currency: str,
    authorization_url: str,
    at: dt.datetime,
) -> Payment:
    row = await conn.fetchrow(
        INSERT_PAYMENT, booking_id, reference, client_id, expert_id, amount, currency, authorization_url, at
    )
    assert row is not None
    return _to_payment(row)


async def get_payment(conn: Connection, payment_id: uuid.UUID, *, lock: bool = False) -> Payment:
    row = await conn.fetchrow(_lock(SELECT_BY_ID, lock), payment_id)
    if row is None:
        raise NotFound.no_such("payment")
    return _to_payment(row)


async def find_payment_by_booking(conn: Connection, booking_id: uuid.UUID, *, lock: bool = False) -> Payment | None:
    row = await conn.fetchrow(_lock(SELECT_BY_BOOKING, lock), booking_id)
    return _to_payment(row) if row else None


async def find_payment_by_reference(conn: Connection, reference: str, *, lock: bool = False) -> Payment | None:
    row = await conn.fetchrow(_lock(SELECT_BY_REFERENCE, lock), reference)
    return _to_payment(row) if row else None


async def set_payment_status(
    conn: Connection, payment_id: uuid.UUID, status: PaymentStatus, at: dt.datetime
) -> Payment:
    row = await conn.fetchrow(UPDATE_STATUS, payment_id, status.value, at)
    if row is None:
        raise NotFound.no_such("payment")
    return _to_payment(row)


async def record_charge(conn: Connection, payment_id: uuid.UUID, charge: ChargeReport, at: dt.datetime) -> Payment:
    row = await conn.fetchrow(
        UPDATE_CHARGE, payment_id, charge.transaction_id, charge.amount, charge.currency, charge.paid_at or at, at
    )
    if row is None:
        raise NotFound("payment_not_found", "No unpaid payment to record the charge on")
    return _to_payment(row)


async def record_settlement(
    conn: Connection,
    payment_id: uuid.UUID,
    *,
    refunded: int,
    expert: int,
    fee: int,
    fee_bps: int | None,
    at: dt.datetime,
) -> Payment:
    row = await conn.fetchrow(UPDATE_SETTLEMENT, payment_id, refunded, expert, fee, fee_bps, at)
    if row is None:
        raise NotFound.no_such("payment")
    return _to_payment(row)


async def insert_payment_event(
    conn: Connection,
    payment_id: uuid.UUID,
    *,
    from_status: str | None,
    to_status: str,
    at: dt.datetime,
    reason: str = "",
    refund_id: uuid.UUID | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    await conn.execute(INSERT_EVENT, payment_id, refund_id, from_status, to_status, reason, detail or {}, at)


async def stale_pending_payments(conn: Connection, cutoff: dt.datetime, limit: int = 100) -> list[Payment]:
    return [_to_payment(row) for row in await conn.fetch(SELECT_STALE_PENDING, cutoff, limit)]


async def search_payments(conn: Connection, search: MoneySearch) -> list[Payment]:
    """Up to ``search.limit + 1`` payments, newest first."""
    return [_to_payment(row) for row in await conn.fetch(SEARCH_PAYMENTS, *money_search_args(search))]


async def list_payment_events(conn: Connection, payment_id: uuid.UUID) -> list[PaymentEvent]:
    return [PaymentEvent(**dict(row)) for row in await conn.fetch(SELECT_EVENTS, payment_id)]


async def payments_of_payer(
    conn: Connection, client_id: uuid.UUID, after: TimeCursor | None, limit: int
) -> list[Payment]:
    """What ``client_id`` paid (or started paying), newest first, after the ``(created_at, id)`` given."""
    rows = await conn.fetch(SELECT_OF_PAYER, client_id, *NEWEST_CREATED.args(after), limit)
    return [_to_payment(row) for row in rows]


async def replace_checkout(
    conn: Connection, payment_id: uuid.UUID, *, reference: str, authorization_url: str, at: dt.datetime
) -> Payment:
    """Point the payment at a new checkout; the old reference is kept in ``payment_checkouts``."""
    row = await conn.fetchrow(REPLACE_CHECKOUT, payment_id, reference, authorization_url, at)
    if row is None:
        raise NotFound.no_such("payment")
    return _to_payment(row)
