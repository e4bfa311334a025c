"""The booking audit trail: ``booking_events`` is append-only (a trigger refuses UPDATE and DELETE)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from procus.domain.bookings import ActorRole, BookingEvent, BookingStatus
from procus.store.db import Connection

__all__ = ["append_event", "list_events"]

INSERT_EVENT = """
INSERT INTO booking_events (booking_id, actor_id, actor_role, action, from_status, to_status, reason, data, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
"""
SELECT_EVENTS = """
SELECT id, booking_id, actor_id, actor_role, action, from_status, to_status, reason, data, at
FROM booking_events WHERE booking_id = $1 ORDER BY id
"""


def _to_event(row: asyncpg.Record) -> BookingEvent:
    return BookingEvent(
        id=row["id"],
        booking_id=row["booking_id"],
        actor_id=row["actor_id"],
        actor_role=ActorRole(row["actor_role"]),
        action=row["action"],
        from_status=BookingStatus(row["from_status"]) if row["from_status"] else None,
        to_status=BookingStatus(row["to_status"]),
        reason=row["reason"],
        data=row["data"],
        at=row["at"],
    )


async def append_event(
    conn: Connection,
    *,
    booking_id: uuid.UUID,
    actor_id: uuid.UUID | None,
    actor_role: ActorRole,
    action: str,
    from_status: BookingStatus | None,
    to_status: BookingStatus,
    reason: str | None,
    at: dt.datetime,
    data: dict[str, Any] | None = None,
) -> None:
    await conn.execute(
        INSERT_EVENT,
        booking_id,
        actor_id,
        actor_role.value,
        action,
        from_status.value if from_status else None,
        to_status.value,
        reason,
        data or {},
        at,
    )


async def list_events(conn: Connection, booking_id: uuid.UUID) -> list[BookingEvent]:
    return [_to_event(row) for row in await conn.fetch(SELECT_EVENTS, booking_id)]
