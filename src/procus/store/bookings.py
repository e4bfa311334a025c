"""Bookings and their calls: rows in ``bookings`` joined to ``calls``, mapped to domain structs here only."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from procus.domain.bookings import Booking, BookingStatus, BookingView, CallStatus, Party
from procus.domain.errors import NotFound
from procus.domain.money import Money
from procus.domain.payment_states import PaymentStatus
from procus.store.db import Connection

__all__ = [
    "VIEW_COLUMNS",
    "VIEW_FROM",
    "get_booking",
    "get_view",
    "get_views",
    "insert_booking",
    "lock_booking",
    "move_call",
    "pending_past_deadline",
    "row_to_view",
    "set_call_status",
    "set_proposal",
    "set_status",
    "unconfirmed_created_by",
]

_BOOKING_COLUMNS = """
    b.id, b.call_id, b.client_id, b.expert_id, b.area_id, b.status, b.note, b.status_reason,
    c.starts_at, c.ends_at, c.duration_minutes, lower(c.blocked) AS blocked_start, upper(c.blocked) AS blocked_end,
    c.price_amount, c.currency, c.platform_fee_bps, c.status AS call_status, c.room_name,
    b.proposed_start, b.proposed_end, b.sequence, b.confirmed_at, b.expires_at, b.created_at, b.updated_at
"""
VIEW_COLUMNS = f"""{_BOOKING_COLUMNS},
    cu.full_name AS client_name, cu.email::text AS client_email, cu.time_zone AS client_time_zone,
    eu.full_name AS expert_name, eu.email::text AS expert_email, eu.time_zone AS expert_time_zone,
    a.title AS area_title,
    (SELECT p.status::text FROM payments p WHERE p.booking_id = b.id) AS payment_status
"""
VIEW_FROM = """
FROM bookings b
JOIN calls c ON c.id = b.call_id
JOIN users cu ON cu.id = b.client_id
JOIN users eu ON eu.id = b.expert_id
JOIN expertise_areas a ON a.id = b.area_id
"""

INSERT_CALL = """
INSERT INTO calls (id, expert_id, client_id, area_id, starts_at, duration_minutes, ends_at, blocked,
                   price_amount, currency, platform_fee_bps, room_name, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, tstzrange($8, $9, '[)'), $10, $11, $12, $13, $14, $14)
"""
INSERT_BOOKING = """
INSERT INTO bookings (id, call_id, client_id, expert_id, area_id, status, note, expires_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $9, $6, $7, $8, $8)
"""
SELECT_BOOKING = f"SELECT {_BOOKING_COLUMNS} FROM bookings b JOIN calls c ON c.id = b.call_id WHERE b.id = $1"
LOCK_BOOKING = f"{SELECT_BOOKING} FOR UPDATE OF b"
SELECT_VIEW = f"SELECT {VIEW_COLUMNS} {VIEW_FROM} WHERE b.id = $1"
SELECT_VIEWS = f"SELECT {VIEW_COLUMNS} {VIEW_FROM} WHERE b.id = ANY($1::uuid[])"
UPDATE_STATUS = """
UPDATE bookings SET
    status = $2,
    status_reason = $3,
    updated_at = $4,
    proposed_start = NULL,
    proposed_end = NULL,
    confirmed_at = CASE WHEN $5 THEN coalesce(confirmed_at, $4) ELSE confirmed_at END,
    sequence = sequence + CASE WHEN $6 AND confirmed_at IS NOT NULL THEN 1 ELSE 0 END
WHERE id = $1
"""
UPDATE_PROPOSAL = """
UPDATE bookings SET status = $7, status_reason = $4, proposed_start = $2, proposed_end = $3,
    expires_at = $5, updated_at = $6
WHERE id = $1
"""
UPDATE_CALL_STATUS = "UPDATE calls SET status = $2, updated_at = $3 WHERE id = $1"
MOVE_CALL = """
UPDATE calls SET starts_at = $2, ends_at = $3, blocked = tstzrange($4, $5, '[)'), updated_at = $6 WHERE id = $1
"""
SELECT_PAST_DEADLINE = """
SELECT id FROM bookings WHERE status IN ('pending', 'reschedule_proposed') AND expires_at <= $1 ORDER BY expires_at, id
"""
SELECT_UNCONFIRMED_SINCE = """
SELECT id FROM bookings
WHERE status IN ('pending', 'reschedule_proposed') AND confirmed_at IS NULL AND created_at <= $1
ORDER BY created_at, id
"""


def _to_booking(row: asyncpg.Record) -> Booking:
    return Booking(
        id=row["id"],
        call_id=row["call_id"],
        client_id=row["client_id"],
        expert_id=row["expert_id"],
        area_id=row["area_id"],
        status=BookingStatus(row["status"]),
        note=row["note"],
        status_reason=row["status_reason"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        duration_minutes=row["duration_minutes"],
        blocked_start=row["blocked_start"],
        blocked_end=row["blocked_end"],
        price=Money(row["price_amount"], row["currency"]),
        platform_fee_bps=row["platform_fee_bps"],
        call_status=CallStatus(row["call_status"]),
        room_name=row["room_name"],
        proposed_start=row["proposed_start"],
        proposed_end=row["proposed_end"],
        sequence=row["sequence"],
        confirmed_at=row["confirmed_at"],
        expires_at=row["expires_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _party(row: asyncpg.Record, prefix: str) -> Party:
    return Party(
        id=row[f"{prefix}_id"],
        full_name=row[f"{prefix}_name"],
        email=row[f"{prefix}_email"],
        time_zone=row[f"{prefix}_time_zone"],
    )


def row_to_view(row: asyncpg.Record) -> BookingView:
    return BookingView(
        booking=_to_booking(row),
        client=_party(row, "client"),
        expert=_party(row, "expert"),
        area_title=row["area_title"],
        payment_status=PaymentStatus(row["payment_status"]) if row["payment_status"] else None,
    )


def _found(row: asyncpg.Record | None) -> asyncpg.Record:
    if row is None:
        raise NotFound.no_such("booking")
    return row


async def insert_booking(
    conn: Connection,
    *,
    booking_id: uuid.UUID,
    call_id: uuid.UUID,
    client_id: uuid.UUID,
    expert_id: uuid.UUID,
    area_id: uuid.UUID,
    status: BookingStatus,
    starts_at: dt.datetime,
    duration_minutes: int,
    blocked: tuple[dt.datetime, dt.datetime],
    price: Money,
    platform_fee_bps: int,
    room_name: str,
    note: str,
    expires_at: dt.datetime,
    now: dt.datetime,
) -> None:
    """The call (status scheduled, with its price and fee snapshot) and its booking in ``status``."""
    ends_at = starts_at + dt.timedelta(minutes=duration_minutes)
    await conn.execute(
        INSERT_CALL,
        call_id,
        expert_id,
        client_id,
        area_id,
        starts_at,
        duration_minutes,
        ends_at,
        blocked[0],
        blocked[1],
        price.amount,
        price.currency,
        platform_fee_bps,
        room_name,
        now,
    )
    await conn.execute(
        INSERT_BOOKING, booking_id, call_id, client_id, expert_id, area_id, note, expires_at, now, status.value
    )


async def get_booking(conn: Connection, booking_id: uuid.UUID) -> Booking:
    return _to_booking(_found(await conn.fetchrow(SELECT_BOOKING, booking_id)))


async def lock_booking(conn: Connection, booking_id: uuid.UUID) -> Booking:
    """The booking, locked until the transaction ends, so transitions on it happen one at a time."""
    return _to_booking(_found(await conn.fetchrow(LOCK_BOOKING, booking_id)))


async def get_view(conn: Connection, booking_id: uuid.UUID) -> BookingView:
    return row_to_view(_found(await conn.fetchrow(SELECT_VIEW, booking_id)))


async def get_views(conn: Connection, booking_ids: list[uuid.UUID]) -> dict[uuid.UUID, BookingView]:
    """The views of the bookings that exist among ``booking_ids``, by id."""
    views = [row_to_view(row) for row in await conn.fetch(SELECT_VIEWS, booking_ids)]
    return {view.booking.id: view for view in views}


async def set_status(
    conn: Connection,
    booking_id: uuid.UUID,
    status: BookingStatus,
    *,
    reason: str | None,
    now: dt.datetime,
    confirm: bool = False,
    bump_sequence: bool = False,
) -> None:
    """Move to ``status`` (dropping any proposal); ``confirm`` stamps the first confirmation and
    ``bump_sequence`` raises the calendar SEQUENCE if an invite already went out."""
    await conn.execute(UPDATE_STATUS, booking_id, status.value, reason, now, confirm, bump_sequence)


async def set_proposal(
    conn: Connection,
    booking_id: uuid.UUID,
    *,
    status: BookingStatus,
    start: dt.datetime,
    end: dt.datetime,
    reason: str | None,
    expires_at: dt.datetime,
    now: dt.datetime,
) -> None:
    await conn.execute(UPDATE_PROPOSAL, booking_id, start, end, reason, expires_at, now, status.value)


async def set_call_status(conn: Connection, call_id: uuid.UUID, status: CallStatus, now: dt.datetime) -> None:
    await conn.execute(UPDATE_CALL_STATUS, call_id, status.value, now)


async def move_call(
    conn: Connection,
    call_id: uuid.UUID,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    blocked: tuple[dt.datetime, dt.datetime],
    now: dt.datetime,
) -> None:
    await conn.execute(MOVE_CALL, call_id, starts_at, ends_at, blocked[0], blocked[1], now)


async def pending_past_deadline(conn: Connection, now: dt.datetime) -> list[uuid.UUID]:
    """Bookings waiting for an answer (request or proposal) whose deadline has passed."""
    return [row["id"] for row in await conn.fetch(SELECT_PAST_DEADLINE, now)]


async def unconfirmed_created_by(conn: Connection, created_by: dt.datetime) -> list[uuid.UUID]:
    """Never-confirmed bookings awaiting an answer, created at or before ``created_by``; few, since
    every one of them expires within a day."""
    return [row["id"] for row in await conn.fetch(SELECT_UNCONFIRMED_SINCE, created_by)]
