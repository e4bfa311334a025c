"""Sent emails: one row per logical email (its key), so a re-run job never sends a delivered one again.

The delivery job calls :func:`begin_attempt` and keeps its transaction open while it talks to the
SMTP server: the row stays locked, so a second runner of the same email waits and then sees 'sent'.
"""

from __future__ import annotations

import datetime as dt

from procus.store.db import Connection

__all__ = ["begin_attempt", "mark_rejected", "mark_sent", "note_failure"]

# ON CONFLICT ... DO UPDATE locks the existing row even when its WHERE is false; no row comes back
# when the email is already final ('sent' or 'rejected').
BEGIN_ATTEMPT = """
INSERT INTO sent_emails AS s
    (email_key, message_id, template, recipients, status, attempts, first_attempt_at, last_attempt_at)
VALUES ($1, $2, $3, $4, 'sending', 1, $5, $5)
ON CONFLICT (email_key) DO UPDATE SET attempts = s.attempts + 1, last_attempt_at = EXCLUDED.last_attempt_at
WHERE s.status = 'sending'
RETURNING attempts
"""
MARK_SENT = "UPDATE sent_emails SET status = 'sent', sent_at = $2, last_error = NULL WHERE email_key = $1"
MARK_REJECTED = "UPDATE sent_emails SET status = 'rejected', last_error = $2 WHERE email_key = $1"
NOTE_FAILURE = "UPDATE sent_emails SET last_error = $2 WHERE email_key = $1"


async def begin_attempt(
    conn: Connection, email_key: str, *, message_id: str, template: str, recipients: list[str], at: dt.datetime
) -> int | None:
    """Record one more attempt and lock the row: the attempt number, or None if the email is already final."""
    attempts: int | None = await conn.fetchval(BEGIN_ATTEMPT, email_key, message_id, template, recipients, at)
    return attempts


async def mark_sent(conn: Connection, email_key: str, at: dt.datetime) -> None:
    await conn.execute(MARK_SENT, email_key, at)


async def mark_rejected(conn: Connection, email_key: str, error: str) -> None:
    await conn.execute(MARK_REJECTED, email_key, error)


async def note_failure(conn: Connection, email_key: str, error: str) -> None:
    await conn.execute(NOTE_FAILURE, email_key, error)
