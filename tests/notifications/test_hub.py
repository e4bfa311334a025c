"""The per-process hub: one LISTEN connection that survives losing its connection."""

from __future__ import annotations

import asyncio

from procus.config import Settings
from procus.services.notices.notification_stream import NotificationHub
from procus.store.db import Database
from tests.support.fakes import FakeClock
from tests.support.notifications import make_user, send_notification

LISTENERS = """
SELECT count(*) FROM pg_stat_activity WHERE application_name = 'procus-listen' AND datname = current_database()
"""
KILL_LISTENER = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE application_name = 'procus-listen' AND datname = current_database()
"""


async def test_the_hub_wakes_only_the_notified_users_streams(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    ada, grace = await make_user(db), await make_user(db)
    hub = NotificationHub(settings.database_url)
    await hub.start()
    try:
        ada_stream, grace_stream = hub.subscribe(ada.id), hub.subscribe(grace.id)
        await send_notification(db, ada.id, clock.now())
        assert await ada_stream.wait(5)
        assert not await grace_stream.wait(0.2)
        hub.unsubscribe(ada_stream)
        hub.unsubscribe(grace_stream)
        assert hub.subscriber_count == 0
    finally:
        await hub.close()


async def test_the_hub_reconnects_and_wakes_every_stream_to_catch_up(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    user = await make_user(db)
    hub = NotificationHub(settings.database_url, check_every=0.2)
    await hub.start()
    try:
        stream = hub.subscribe(user.id)
        async with db.connection() as conn:
            assert await conn.fetchval(f"SELECT count(*) FROM ({KILL_LISTENER}) AS killed") == 1
        assert await stream.wait(5), "after reconnecting, every stream re-reads what it may have missed"
        stream.clear()
        await send_notification(db, user.id, clock.now())
        assert await stream.wait(5), "the new connection listens again"
    finally:
        await hub.close()
    assert await _listeners_gone(db), "closing the hub closes its connection"


async def _listeners_gone(db: Database) -> bool:
    async with db.connection() as conn:
        for _ in range(50):
            if not await conn.fetchval(LISTENERS):
                return True
            await asyncio.sleep(0.05)
    return False
