"""The expert's private notes on a call: one text per call, with a version that every save bumps."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from procus.domain.calls import CallNote
from procus.store.db import Connection

__all__ = ["get_note", "note_written_at", "put_note"]

UPSERT_NOTE = """
INSERT INTO call_notes (call_id, expert_id, body, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (call_id) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at,
    version = call_notes.version + 1
RETURNING body, updated_at, version
"""
INSERT_FIRST_NOTE = """
INSERT INTO call_notes (call_id, expert_id, body, updated_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (call_id) DO NOTHING
RETURNING body, updated_at, version
"""
UPDATE_NOTE_AT_VERSION = """
UPDATE call_notes SET body = $3, updated_at = $4, version = version + 1
WHERE call_id = $1 AND expert_id = $2 AND version = $5
RETURNING body, updated_at, version
"""
SELECT_NOTE_TIME = "SELECT updated_at FROM call_notes WHERE call_id = $1"
SELECT_NOTE = "SELECT body, updated_at, version FROM call_notes WHERE call_id = $1 AND expert_id = $2"


def _note(row: asyncpg.Record) -> CallNote:
    return CallNote(body=row["body"], updated_at=row["updated_at"], version=row["version"])


async def put_note(
    conn: Connection,
    call_id: uuid.UUID,
    expert_id: uuid.UUID,
    body: str,
    now: dt.datetime,
    *,
    base_version: int | None = None,
) -> CallNote | None:
    """Save the notes; None if ``base_version`` is given and the stored notes are no longer at it.

    One statement decides, so of two saves based on the same version exactly one succeeds, also
    for the first save (version 0: no row yet). Without ``base_version`` the save always wins.
    """
    if base_version is None:
        row = await conn.fetchrow(UPSERT_NOTE, call_id, expert_id, body, now)
    elif base_version == 0:
        row = await conn.fetchrow(INSERT_FIRST_NOTE, call_id, expert_id, body, now)
    else:
        row = await conn.fetchrow(UPDATE_NOTE_AT_VERSION, call_id, expert_id, body, now, base_version)
    return None if row is None else _note(row)


async def get_note(conn: Connection, call_id: uuid.UUID, expert_id: uuid.UUID) -> CallNote:
    """The expert's note, or an empty one (version 0) if they have written nothing yet."""
    row = await conn.fetchrow(SELECT_NOTE, call_id, expert_id)
    if row is None:
        return CallNote(body="", updated_at=None)
    return _note(row)


async def note_written_at(conn: Connection, call_id: uuid.UUID) -> dt.datetime | None:
    """When the expert last wrote notes on the call (None: never); never the notes themselves."""
    written: dt.datetime | None = await conn.fetchval(SELECT_NOTE_TIME, call_id)
    return written
