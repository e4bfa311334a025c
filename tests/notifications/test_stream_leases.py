"""The leases behind the per-user stream cap: counted across processes, renewed, and expiring by
themselves when the process that held them died without cleaning up."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

from procus.store.db import Database
from procus.store.notification_streams import claim_lease, purge_leases, release_lease, renew_lease
from tests.support.bookings import insert_client

NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(seconds=45)


async def _claim(
    db: Database, user_id: uuid.UUID, at: dt.datetime, limit: int, lease_id: uuid.UUID | None = None
) -> bool:
    async with db.transaction() as tx:
        return await claim_lease(tx, lease_id or uuid.uuid4(), user_id, at, at + LEASE, limit)


async def test_a_lease_nobody_renews_stops_counting_when_it_expires(db: Database) -> None:
    user_id = await insert_client(db)
    assert await _claim(db, user_id, NOW, limit=1)
    assert not await _claim(db, user_id, NOW + LEASE - dt.timedelta(seconds=1), limit=1)
    assert await _claim(db, user_id, NOW + LEASE + dt.timedelta(seconds=1), limit=1)


async def test_a_renewed_lease_keeps_its_place_and_a_released_one_frees_it(db: Database) -> None:
    user_id, held = await insert_client(db), uuid.uuid4()
    assert await _claim(db, user_id, NOW, limit=1, lease_id=held)
    later = NOW + dt.timedelta(seconds=30)
    async with db.connection() as conn:
        await renew_lease(conn, held, user_id, later, later + LEASE)
    assert not await _claim(db, user_id, NOW + LEASE + dt.timedelta(seconds=1), limit=1)
    async with db.connection() as conn:
        await release_lease(conn, held)
    assert await _claim(db, user_id, later, limit=1)


async def test_concurrent_claims_never_exceed_the_limit(db: Database) -> None:
    user_id = await insert_client(db)
    granted = await asyncio.gather(*(_claim(db, user_id, NOW, limit=10) for _ in range(25)))
    assert granted.count(True) == 10


async def test_the_sweep_deletes_only_expired_leases(db: Database) -> None:
    user_id, live = await insert_client(db), uuid.uuid4()
    await _claim(db, user_id, NOW - LEASE * 2, limit=5)
    await _claim(db, user_id, NOW, limit=5, lease_id=live)
    async with db.connection() as conn:
        assert await purge_leases(conn, NOW) == 1
        assert await conn.fetchval("SELECT array_agg(id) FROM notification_streams") == [live]
