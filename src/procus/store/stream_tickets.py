"""Stream tickets: single-use, short-lived credentials for an EventSource; only their hash is stored."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import NamedTuple

from procus.store.db import Connection

__all__ = ["SpentTicket", "consume_ticket", "insert_ticket", "purge_tickets"]


class SpentTicket(NamedTuple):
    user_id: uuid.UUID
    session_id: uuid.UUID
    after_seq: int | None
    """The user's newest notification ``seq`` when the ticket was issued (None: issued before this was kept)."""


INSERT_TICKET = """
INSERT INTO stream_tickets (ticket_hash, user_id, session_id, created_at, expires_at, after_seq)
VALUES ($1, $2, $3, $4, $5, $6)
"""
CONSUME_TICKET = """
UPDATE stream_tickets AS t SET used_at = $2
FROM users AS u, auth_sessions AS s
WHERE t.ticket_hash = $1 AND t.used_at IS NULL AND t.expires_at > $2 AND u.id = t.user_id AND u.is_active
  AND s.id = t.session_id AND s.revoked_at IS NULL
RETURNING t.user_id, t.session_id, t.after_seq
"""
PURGE_TICKETS = "DELETE FROM stream_tickets WHERE expires_at <= $1"


async def insert_ticket(
    conn: Connection,
    ticket_hash: bytes,
    user_id: uuid.UUID,
    session_id: uuid.UUID,
    at: dt.datetime,
    expires_at: dt.datetime,
    after_seq: int,
) -> None:
    await conn.execute(INSERT_TICKET, ticket_hash, user_id, session_id, at, expires_at, after_seq)


async def consume_ticket(conn: Connection, ticket_hash: bytes, at: dt.datetime) -> SpentTicket | None:
    """Use the ticket once; None if unknown, used, expired, the user is suspended or the session signed out."""
    row = await conn.fetchrow(CONSUME_TICKET, ticket_hash, at)
    return SpentTicket(row["user_id"], row["session_id"], row["after_seq"]) if row else None


async def purge_tickets(conn: Connection, expired_by: dt.datetime) -> int:
    status: str = await conn.execute(PURGE_TICKETS, expired_by)
    return int(status.rsplit(" ", 1)[-1])
