"""Notifications: the per-user numbered log, the inbox pages, and the unread-fallback claim."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from procus.domain.errors import NotFound
from procus.domain.notifications import InboxCursor, Notification
from procus.store.db import Connection

__all__ = [
    "claim_unread_important",
    "count_unread",
    "dedupe_key_taken",
    "insert_notification",
    "last_seq",
    "list_after",
    "list_inbox",
    "mark_all_read",
    "mark_read",
    "next_seq",
]

_COLUMNS = "id, user_id, seq, kind, title, body, data, important, created_at, read_at"

# The upsert locks the user's counter row until the caller's transaction ends: per user, numbers are
# handed out and committed in the same order.
NEXT_SEQ = """
INSERT INTO notification_counters AS c (user_id, last_seq) VALUES ($1, 1)
ON CONFLICT (user_id) DO UPDATE SET last_seq = c.last_seq + 1
RETURNING last_seq
"""
LAST_SEQ = "SELECT coalesce((SELECT last_seq FROM notification_counters WHERE user_id = $1), 0)"
DEDUPE_KEY_TAKEN = "SELECT EXISTS (SELECT 1 FROM notifications WHERE user_id = $1 AND dedupe_key = $2)"
INSERT_NOTIFICATION = f"""
INSERT INTO notifications (user_id, seq, kind, title, body, data, important, dedupe_key, created_at, emailed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT DO NOTHING
RETURNING {_COLUMNS}
"""
LIST_INBOX_FIRST = f"""
SELECT {_COLUMNS} FROM notifications
WHERE user_id = $1
ORDER BY (read_at IS NULL) DESC, seq DESC
LIMIT $2
"""
LIST_INBOX_AFTER = f"""
SELECT {_COLUMNS} FROM notifications
WHERE user_id = $1 AND ((read_at IS NULL), seq) < ($2::boolean, $3::bigint)
ORDER BY (read_at IS NULL) DESC, seq DESC
LIMIT $4
"""
COUNT_UNREAD = "SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL"
LIST_AFTER = f"SELECT {_COLUMNS} FROM notifications WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
MARK_READ = f"""
UPDATE notifications SET read_at = coalesce(read_at, $3)
WHERE id = $1 AND user_id = $2
RETURNING {_COLUMNS}
"""
MARK_ALL_READ = "UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL"
CLAIM_UNREAD_IMPORTANT = f"""
UPDATE notifications SET emailed_at = $2
WHERE id IN (
    SELECT id FROM notifications
    WHERE important AND read_at IS NULL AND emailed_at IS NULL AND created_at <= $1
    ORDER BY created_at
    LIMIT $3
    FOR UPDATE SKIP LOCKED
)
RETURNING {_COLUMNS}
"""


def _to_notification(row: asyncpg.Record) -> Notification:
    return Notification(
        id=row["id"],
        user_id=row["user_id"],
        seq=row["seq"],
        kind=row["kind"],
        title=row["title"],
        body=row["body"],
        data=row["data"],
        important=row["important"],
        created_at=row["created_at"],
        read_at=row["read_at"],
    )


async def next_seq(conn: Connection, user_id: uuid.UUID) -> int:
    seq: int = await conn.fetchval(NEXT_SEQ, user_id)
    return seq


async def last_seq(conn: Connection, user_id: uuid.UUID) -> int:
    seq: int = await conn.fetchval(LAST_SEQ, user_id)
    return seq


async def dedupe_key_taken(conn: Connection, user_id: uuid.UUID, dedupe_key: str) -> bool:
    taken: bool = await conn.fetchval(DEDUPE_KEY_TAKEN, user_id, dedupe_key)
    return taken


async def insert_notification(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    seq: int,
    kind: str,
    title: str,
    body: str,
    data: dict[str, Any],
    important: bool,
    dedupe_key: str | None,
    created_at: dt.datetime,
    emailed_at: dt.datetime | None,
) -> Notification | None:
    """The new notification, or None when ``dedupe_key`` was already used for this user."""
    row = await conn.fetchrow(
        INSERT_NOTIFICATION, user_id, seq, kind, title, body, data, important, dedupe_key, created_at, emailed_at
    )
    return _to_notification(row) if row else None


async def list_inbox(
    conn: Connection, user_id: uuid.UUID, cursor: InboxCursor | None, limit: int
) -> list[Notification]:
    if cursor is None:
        rows = await conn.fetch(LIST_INBOX_FIRST, user_id, limit)
    else:
        rows = await conn.fetch(LIST_INBOX_AFTER, user_id, cursor.unread, cursor.seq, limit)
    return [_to_notification(row) for row in rows]


async def count_unread(conn: Connection, user_id: uuid.UUID) -> int:
    count: int = await conn.fetchval(COUNT_UNREAD, user_id)
    return count


async def list_after(conn: Connection, user_id: uuid.UUID, after_seq: int, limit: int) -> list[Notification]:
    return [_to_notification(row) for row in await conn.fetch(LIST_AFTER, user_id, after_seq, limit)]


async def mark_read(conn: Connection, user_id: uuid.UUID, notification_id: uuid.UUID, at: dt.datetime) -> Notification:
    row = await conn.fetchrow(MARK_READ, notification_id, user_id, at)
    if row is None:
        raise NotFound("notification_not_found", "No such notification")
    return _to_notification(row)


async def mark_all_read(conn: Connection, user_id: uuid.UUID, at: dt.datetime) -> int:
    status: str = await conn.execute(MARK_ALL_READ, user_id, at)
    return int(status.rsplit(" ", 1)[-1])


async def claim_unread_important(
    conn: Connection, created_before: dt.datetime, at: dt.datetime, limit: int
) -> list[Notification]:
    """Mark up to ``limit`` important notifications unread since ``created_before`` as emailed, and return them.

    Rows another sweep is claiming right now are skipped, so concurrent sweeps never claim one twice.
    """
    return [_to_notification(row) for row in await conn.fetch(CLAIM_UNREAD_IMPORTANT, created_before, at, limit)]
