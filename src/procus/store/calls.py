"""A booking's call as the video side needs it: ``calls`` joined to its booking, mapped here only."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from procus.domain.bookings import BookingStatus, CallStatus
from procus.domain.calls import CallRecord
from procus.domain.errors import NotFound
from procus.store.db import Connection

__all__ = [
    "calls_due_for_no_show",
    "calls_due_to_end",
    "finish_call",
    "get_call",
    "live_calls",
    "lock_call",
    "lock_call_by_room",
    "set_attendance",
]

_COLUMNS = """
    b.id AS booking_id, c.id AS call_id, b.client_id, b.expert_id, c.room_name, c.starts_at, c.ends_at,
    b.status AS booking_status, c.status AS call_status, c.actual_started_at, c.ended_at
"""
_FROM = "FROM bookings b JOIN calls c ON c.id = b.call_id"

SELECT_CALL = f"SELECT {_COLUMNS} {_FROM} WHERE b.id = $1"
LOCK_CALL = f"{SELECT_CALL} FOR UPDATE OF b, c"
LOCK_CALL_BY_ROOM = f"SELECT {_COLUMNS} {_FROM} WHERE c.room_name = $1 FOR UPDATE OF c"
UPDATE_ATTENDANCE = """
UPDATE calls SET actual_started_at = $2, status = $3, updated_at = $4
WHERE id = $1 AND (actual_started_at IS DISTINCT FROM $2 OR status <> $3)
"""
FINISH_CALL = "UPDATE calls SET status = $2, ended_at = coalesce(ended_at, $3), updated_at = $3 WHERE id = $1"
# Confirmed bookings whose join window [starts_at - $2, ends_at + $3) holds $1 and whose call is not over.
SELECT_LIVE = f"""
SELECT {_COLUMNS} {_FROM}
WHERE b.status = 'confirmed' AND c.ended_at IS NULL
  AND c.starts_at - $2::interval <= $1 AND c.ends_at + $3::interval > $1
ORDER BY c.starts_at, b.id
"""
SELECT_DUE_FOR_NO_SHOW = f"""
SELECT b.id {_FROM}
WHERE b.status = 'confirmed' AND c.actual_started_at IS NULL AND c.ended_at IS NULL
  AND least(c.starts_at + $2::interval, c.ends_at + $3::interval) <= $1
ORDER BY c.starts_at, b.id
"""
SELECT_DUE_TO_END = f"""
SELECT b.id {_FROM} WHERE b.status = 'confirmed' AND c.ends_at + $2::interval <= $1 ORDER BY c.ends_at, b.id
"""


def _to_call(row: asyncpg.Record) -> CallRecord:
    return CallRecord(
        booking_id=row["booking_id"],
        call_id=row["call_id"],
        client_id=row["client_id"],
        expert_id=row["expert_id"],
        room=row["room_name"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        booking_status=BookingStatus(row["booking_status"]),
        status=CallStatus(row["call_status"]),
        actual_started_at=row["actual_started_at"],
        ended_at=row["ended_at"],
    )


def _found(row: asyncpg.Record | None) -> CallRecord:
    if row is None:
        raise NotFound.no_such("booking")
    return _to_call(row)


async def get_call(conn: Connection, booking_id: uuid.UUID) -> CallRecord:
    return _found(await conn.fetchrow(SELECT_CALL, booking_id))


async def lock_call(conn: Connection, booking_id: uuid.UUID) -> CallRecord:
    """The booking and its call, both locked until the transaction ends (as booking transitions lock them)."""
    return _found(await conn.fetchrow(LOCK_CALL, booking_id))


async def lock_call_by_room(conn: Connection, room: str) -> CallRecord | None:
    """The call whose room this is, its row locked so attendance of one call is written one event at a time."""
    row = await conn.fetchrow(LOCK_CALL_BY_ROOM, room)
    return _to_call(row) if row is not None else None


async def set_attendance(
    conn: Connection, call_id: uuid.UUID, *, actual_started_at: dt.datetime | None, status: CallStatus, now: dt.datetime
) -> None:
    await conn.execute(UPDATE_ATTENDANCE, call_id, actual_started_at, status.value, now)


async def finish_call(conn: Connection, call_id: uuid.UUID, status: CallStatus, now: dt.datetime) -> None:
    """The call's final status; ``ended_at`` keeps its first value."""
    await conn.execute(FINISH_CALL, call_id, status.value, now)


async def live_calls(
    conn: Connection, now: dt.datetime, *, join_early: dt.timedelta, grace: dt.timedelta
) -> list[CallRecord]:
    return [_to_call(row) for row in await conn.fetch(SELECT_LIVE, now, join_early, grace)]


async def calls_due_for_no_show(
    conn: Connection, now: dt.datetime, *, no_show_after: dt.timedelta, grace: dt.timedelta
) -> list[uuid.UUID]:
    """Confirmed bookings whose parties have not met by the no-show time (never after the window closes)."""
    return [row["id"] for row in await conn.fetch(SELECT_DUE_FOR_NO_SHOW, now, no_show_after, grace)]


async def calls_due_to_end(conn: Connection, now: dt.datetime, *, grace: dt.timedelta) -> list[uuid.UUID]:
    """Confirmed bookings whose join window has closed."""
    return [row["id"] for row in await conn.fetch(SELECT_DUE_TO_END, now, grace)]
