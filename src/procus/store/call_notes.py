"""The expert's private notes on a call: one text per call."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.domain.calls import CallNote
from procus.store.db import Connection

__all__ = ["get_note", "note_written_at", "put_note"]

UPSERT_NOTE = """
INSERT INTO call_notes (call_id, expert_id, body, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (call_id) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at
RETURNING body, updated_at
"""
SELECT_NOTE_TIME = "SELECT updated_at FROM call_notes WHERE call_id = $1"
SELECT_NOTE = "SELECT body, updated_at FROM call_notes WHERE call_id = $1 AND expert_id = $2"


async def put_note(conn: Connection, call_id: uuid.UUID, expert_id: uuid.UUID, body: str, now: dt.datetime) -> CallNote:
    row = await conn.fetchrow(UPSERT_NOTE, call_id, expert_id, body, now)
    assert row is not None
    return CallNote(body=row["body"], updated_at=row["updated_at"])


async def get_note(conn: Connection, call_id: uuid.UUID, expert_id: uuid.UUID) -> CallNote:
    """The expert's note, or an empty one if they have written nothing yet."""
    row = await conn.fetchrow(SELECT_NOTE, call_id, expert_id)
    if row is None:
        return CallNote(body="", updated_at=None)
    return CallNote(body=row["body"], updated_at=row["updated_at"])


async def note_written_at(conn: Connection, call_id: uuid.UUID) -> dt.datetime | None:
    """When the expert last wrote notes on the call (None: never); never the notes themselves."""
    written: dt.datetime | None = await conn.fetchval(SELECT_NOTE_TIME, call_id)
    return written
