"""Stream tickets: single-use, short-lived credentials for an EventSource; only their hash is stored."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.store.db import Connection

__all__ = ["consume_ticket", "insert_ticket", "purge_tickets"]

INSERT_TICKET = """
INSERT INTO stream_tickets (ticket_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)
"""
CONSUME_TICKET = """
UPDATE stream_tickets AS t SET used_at = $2
FROM users AS u
WHERE t.ticket_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.id = t.user_id AND u.is_active
RETURNING t.user_id
"""
PURGE_TICKETS = "DELETE FROM stream_tickets WHERE expires_at <= $1"


async def insert_ticket(
    conn: Connection, ticket_hash: bytes, user_id: uuid.UUID, at: dt.datetime, expires_at: dt.datetime
) -> None:
    await conn.execute(INSERT_TICKET, ticket_hash, user_id, at, expires_at)


async def consume_ticket(conn: Connection, ticket_hash: bytes, at: dt.datetime) -> uuid.UUID | None:
    """Use the ticket once: its (active) user, or None if unknown, used, expired or the user is suspended."""
    user_id: uuid.UUID | None = await conn.fetchval(CONSUME_TICKET, ticket_hash, at)
    return user_id


async def purge_tickets(conn: Connection, expired_by: dt.datetime) -> int:
    status: str = await conn.execute(PURGE_TICKETS, expired_by)
    return int(status.rsplit(" ", 1)[-1])
