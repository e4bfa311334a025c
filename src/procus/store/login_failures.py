"""Sign-in attempts that failed or are still being checked, kept in PostgreSQL so throttling holds
across every API process.

An attempt is reserved (inserted) before its password is hashed, under a transaction-scoped
advisory lock per email and per address, so concurrent attempts are counted one after another;
the row is removed again only by the attempt that proves the password right.
"""

from __future__ import annotations

import datetime as dt

from procus.domain.login_throttle import AttemptHistory
from procus.store.db import Connection

__all__ = ["forget_attempt", "history", "lock_attempts", "reserve_attempt"]

LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('login_failures:' || $1, 0))"
INSERT_ATTEMPT = "INSERT INTO login_failures (email, ip, failed_at) VALUES ($1, $2, $3) RETURNING id"
DELETE_ATTEMPT = "DELETE FROM login_failures WHERE id = $1"
HISTORY = """
SELECT count(*) FILTER (WHERE email = $1) AS email_failures, max(failed_at) FILTER (WHERE email = $1) AS email_latest,
       count(*) FILTER (WHERE ip = $2) AS ip_failures, max(failed_at) FILTER (WHERE ip = $2) AS ip_latest
FROM login_failures WHERE (email = $1 OR ip = $2) AND failed_at > $3
"""


async def lock_attempts(conn: Connection, *, email: str, ip: str) -> None:
    """Serialise attempts for this email and this address until the transaction ends.

    Every caller takes the email's lock before the address's, so two attempts never wait on each other.
    """
    await conn.execute(LOCK, f"email:{email}")
    await conn.execute(LOCK, f"ip:{ip}")


async def history(
    conn: Connection, *, email: str, ip: str, since: dt.datetime
) -> tuple[AttemptHistory, AttemptHistory]:
    """Attempts since ``since`` for the email and for the address."""
    row = await conn.fetchrow(HISTORY, email, ip, since)
    assert row is not None  # an aggregate always answers one row
    return AttemptHistory(row["email_failures"], row["email_latest"]), AttemptHistory(
        row["ip_failures"], row["ip_latest"]
    )


async def reserve_attempt(conn: Connection, email: str, ip: str, at: dt.datetime) -> int:
    attempt_id: int = await conn.fetchval(INSERT_ATTEMPT, email, ip, at)
    return attempt_id


async def forget_attempt(conn: Connection, attempt_id: int) -> None:
    await conn.execute(DELETE_ATTEMPT, attempt_id)
