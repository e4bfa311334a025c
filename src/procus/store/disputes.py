"""Disputes, client confirmations, and finding the finished calls whose money is due for release."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from procus.domain.disputes import Dispute, DisputeReason, DisputeStatus, Resolution
from procus.domain.errors import Conflict, NotFound
from procus.store.db import Connection

__all__ = [
    "due_for_release",
    "find_dispute",
    "get_dispute",
    "insert_dispute",
    "list_disputes",
    "mark_confirmed",
    "release_is_due",
    "resolve_dispute",
]

_COLUMNS = """
    id, booking_id, client_id, expert_id, reason, description, status, resolution, refund_bps, resolution_reason,
    resolved_by, resolved_at, created_at
"""
INSERT_DISPUTE = f"""
INSERT INTO disputes (booking_id, client_id, expert_id, reason, description, created_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (booking_id) DO NOTHING
RETURNING {_COLUMNS}
"""
SELECT_DISPUTE = f"SELECT {_COLUMNS} FROM disputes WHERE id = $1"
SELECT_FOR_BOOKING = f"SELECT {_COLUMNS} FROM disputes WHERE booking_id = $1"
RESOLVE_DISPUTE = f"""
UPDATE disputes SET status = 'resolved', resolution = $2, refund_bps = $3, resolution_reason = $4, resolved_by = $5,
    resolved_at = $6
WHERE id = $1 AND status = 'open'
RETURNING {_COLUMNS}
"""
LIST_DISPUTES = f"""
SELECT {_COLUMNS} FROM disputes
WHERE ($1::text IS NULL OR status = $1)
ORDER BY (status = 'open') DESC, created_at, id
LIMIT $2
"""
MARK_CONFIRMED = "UPDATE bookings SET client_confirmed_at = coalesce(client_confirmed_at, $2) WHERE id = $1"
# Finished calls that paid the expert, money still held, no dispute open, window closed or confirmed.
DUE_FOR_RELEASE = """
SELECT b.id FROM bookings b
JOIN calls c ON c.id = b.call_id
JOIN payments p ON p.booking_id = b.id AND p.status = 'held'
WHERE b.status IN ('completed', 'no_show_client') AND ($4::uuid IS NULL OR b.id = $4)
  AND (c.ends_at + $2::interval <= $1 OR b.client_confirmed_at IS NOT NULL)
  AND NOT EXISTS (SELECT 1 FROM disputes d WHERE d.booking_id = b.id AND d.status = 'open')
ORDER BY c.ends_at
LIMIT $3
"""


def _to_dispute(row: asyncpg.Record) -> Dispute:
    return Dispute(
        id=row["id"],
        booking_id=row["booking_id"],
        client_id=row["client_id"],
        expert_id=row["expert_id"],
        reason=DisputeReason(row["reason"]),
        description=row["description"],
        status=DisputeStatus(row["status"]),
        resolution=Resolution(row["resolution"]) if row["resolution"] else None,
        refund_bps=row["refund_bps"],
        resolution_reason=row["resolution_reason"],
        resolved_by=row["resolved_by"],
        resolved_at=row["resolved_at"],
        created_at=row["created_at"],
    )


async def insert_dispute(
    conn: Connection,
    *,
    booking_id: uuid.UUID,
    client_id: uuid.UUID,
    expert_id: uuid.UUID,
    reason: DisputeReason,
    description: str,
    now: dt.datetime,
) -> Dispute:
    row = await conn.fetchrow(INSERT_DISPUTE, booking_id, client_id, expert_id, reason.value, description, now)
    if row is None:
        raise Conflict("already_disputed", "This call has already been disputed")
    return _to_dispute(row)


async def get_dispute(conn: Connection, dispute_id: uuid.UUID) -> Dispute:
    row = await conn.fetchrow(SELECT_DISPUTE, dispute_id)
    if row is None:
        raise NotFound.no_such("dispute")
    return _to_dispute(row)


async def find_dispute(conn: Connection, booking_id: uuid.UUID) -> Dispute | None:
    row = await conn.fetchrow(SELECT_FOR_BOOKING, booking_id)
    return _to_dispute(row) if row is not None else None


async def resolve_dispute(
    conn: Connection,
    dispute_id: uuid.UUID,
    *,
    resolution: Resolution,
    refund_bps: int,
    reason: str,
    admin_id: uuid.UUID,
    now: dt.datetime,
) -> Dispute:
    row = await conn.fetchrow(RESOLVE_DISPUTE, dispute_id, resolution.value, refund_bps, reason, admin_id, now)
    if row is None:
        await get_dispute(conn, dispute_id)
        raise Conflict("dispute_resolved", "This dispute has already been resolved")
    return _to_dispute(row)


async def list_disputes(conn: Connection, status: str | None, limit: int) -> list[Dispute]:
    return [_to_dispute(row) for row in await conn.fetch(LIST_DISPUTES, status, limit)]


async def mark_confirmed(conn: Connection, booking_id: uuid.UUID, now: dt.datetime) -> None:
    await conn.execute(MARK_CONFIRMED, booking_id, now)


async def due_for_release(
    conn: Connection, now: dt.datetime, window: dt.timedelta, limit: int = 200
) -> list[uuid.UUID]:
    return [row["id"] for row in await conn.fetch(DUE_FOR_RELEASE, now, window, limit, None)]


async def release_is_due(conn: Connection, booking_id: uuid.UUID, now: dt.datetime, window: dt.timedelta) -> bool:
    return bool(await conn.fetch(DUE_FOR_RELEASE, now, window, 1, booking_id))
