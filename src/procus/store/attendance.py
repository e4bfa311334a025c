"""Attendance events of calls: inserted once per event id, read back as a set."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import asyncpg

from procus.domain.attendance import AttendanceEvent, AttendanceKind
from procus.store.db import Connection

__all__ = ["AttendanceSource", "insert_event", "list_events"]

AttendanceSource = Literal["webhook", "reconcile"]

INSERT_EVENT = """
INSERT INTO attendance_events (event_id, call_id, kind, identity, session, occurred_at, joined_at, source, received_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (event_id) DO NOTHING
"""
SELECT_EVENTS = """
SELECT event_id, kind, identity, session, occurred_at, joined_at
FROM attendance_events WHERE call_id = $1 ORDER BY occurred_at, id
"""


def _to_event(row: asyncpg.Record) -> AttendanceEvent:
    return AttendanceEvent(
        event_id=row["event_id"],
        kind=AttendanceKind(row["kind"]),
        occurred_at=row["occurred_at"],
        identity=row["identity"],
        session=row["session"],
        joined_at=row["joined_at"],
    )


async def insert_event(
    conn: Connection,
    call_id: uuid.UUID,
    event: AttendanceEvent,
    *,
    source: AttendanceSource,
    received_at: dt.datetime,
) -> bool:
    """Store ``event`` unless its id is already known; True if it was new."""
    status = await conn.execute(
        INSERT_EVENT,
        event.event_id,
        call_id,
        event.kind.value,
        event.identity,
        event.session,
        event.occurred_at,
        event.joined_at,
        source,
        received_at,
    )
    return status == "INSERT 0 1"


async def list_events(conn: Connection, call_id: uuid.UUID) -> list[AttendanceEvent]:
    return [_to_event(row) for row in await conn.fetch(SELECT_EVENTS, call_id)]
