"""Open notification streams as leases, so that the per-user cap holds across every API process.

The process serving a stream renews its lease on the stream's heartbeats and deletes it when the
stream ends. A process that dies without cleaning up leaves leases that stop counting once they
expire (a few heartbeats later) and that :func:`purge_leases` deletes.
"""

from __future__ import annotations

import datetime as dt
import uuid

from procus.store.db import Connection

__all__ = ["claim_lease", "purge_leases", "release_lease", "renew_lease"]

LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('notification_streams:' || $1::uuid, 0))"
COUNT_LIVE = "SELECT count(*) FROM notification_streams WHERE user_id = $1 AND expires_at > $2"
INSERT_LEASE = "INSERT INTO notification_streams (id, user_id, opened_at, expires_at) VALUES ($1, $2, $3, $4)"
# An upsert: a lease purged while its process was cut off from the database comes back on renewal.
RENEW_LEASE = """
INSERT INTO notification_streams (id, user_id, opened_at, expires_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at
"""
RELEASE_LEASE = "DELETE FROM notification_streams WHERE id = $1"
PURGE_LEASES = "DELETE FROM notification_streams WHERE expires_at <= $1"


async def claim_lease(
    tx: Connection, lease_id: uuid.UUID, user_id: uuid.UUID, at: dt.datetime, expires_at: dt.datetime, limit: int
) -> bool:
    """Take one of the user's ``limit`` places until ``expires_at``; False when every place is held.

    Run in a transaction: a lock per user, held until it ends, counts concurrent claims one by one.
    """
    await tx.execute(LOCK, user_id)
    live: int = await tx.fetchval(COUNT_LIVE, user_id, at)
    if live >= limit:
        return False
    await tx.execute(INSERT_LEASE, lease_id, user_id, at, expires_at)
    return True


async def renew_lease(
    conn: Connection, lease_id: uuid.UUID, user_id: uuid.UUID, at: dt.datetime, expires_at: dt.datetime
) -> None:
    await conn.execute(RENEW_LEASE, lease_id, user_id, at, expires_at)


async def release_lease(conn: Connection, lease_id: uuid.UUID) -> None:
    await conn.execute(RELEASE_LEASE, lease_id)


async def purge_leases(conn: Connection, expired_by: dt.datetime) -> int:
    status: str = await conn.execute(PURGE_LEASES, expired_by)
    return int(status.rsplit(" ", 1)[-1])
