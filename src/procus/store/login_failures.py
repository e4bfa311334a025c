"""Failed sign-in attempts, kept in PostgreSQL so throttling holds across every API process."""

from __future__ import annotations

import datetime as dt

from procus.store.db import Connection

__all__ = ["clear_for_email", "oldest_recent_failure", "record_failure"]

INSERT_FAILURE = "INSERT INTO login_failures (email, ip, failed_at) VALUES ($1, $2, $3)"
DELETE_FOR_EMAIL = "DELETE FROM login_failures WHERE email = $1"
# The n-th most recent failure inside the window, by email or by IP: when it ages out, the
# caller may try again.
NTH_RECENT_FAILURE = """
SELECT min(failed_at) FROM (
    SELECT failed_at FROM login_failures WHERE {column} = $1 AND failed_at > $2
    ORDER BY failed_at DESC LIMIT $3
) recent HAVING count(*) >= $3
"""
NTH_RECENT_BY_EMAIL = NTH_RECENT_FAILURE.format(column="email")
NTH_RECENT_BY_IP = NTH_RECENT_FAILURE.format(column="ip")


async def record_failure(conn: Connection, email: str, ip: str, at: dt.datetime) -> None:
    await conn.execute(INSERT_FAILURE, email, ip, at)


async def clear_for_email(conn: Connection, email: str) -> None:
    await conn.execute(DELETE_FOR_EMAIL, email)


async def oldest_recent_failure(
    conn: Connection, *, email: str, ip: str, since: dt.datetime, limit: int
) -> dt.datetime | None:
    """If ``limit`` failures happened since ``since`` for the email or the IP, the instant that
    decides when the block lifts (the latest such instant of the two); else None."""
    by_email: dt.datetime | None = await conn.fetchval(NTH_RECENT_BY_EMAIL, email, since, limit)
    by_ip: dt.datetime | None = await conn.fetchval(NTH_RECENT_BY_IP, ip, since, limit)
    found = [at for at in (by_email, by_ip) if at is not None]
    return max(found) if found else None
