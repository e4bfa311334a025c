"""An important notification left unread for N minutes (default 10) is also emailed, exactly once."""

from __future__ import annotations

import asyncio
import uuid

from procus.bootstrap import Container
from procus.jobs.notifications import email_unread_important
from procus.store.db import Database
from tests.jobs.conftest import drain
from tests.support.fakes import FakeClock
from tests.support.notifications import make_user, send_notification
from tests.support.smtp_server import SmtpTestServer


async def _mark_read(db: Database, notification_id: uuid.UUID) -> None:
    async with db.connection() as conn:
        await conn.execute("UPDATE notifications SET read_at = now() WHERE id = $1", notification_id)


async def test_an_important_unread_notification_is_emailed_once_after_ten_minutes(
    container: Container, db: Database, clock: FakeClock, smtp_server: SmtpTestServer
) -> None:
    user = await make_user(db, full_name="Ada Lovelace", time_zone="Africa/Lagos")
    await send_notification(
        db, user.id, clock.now(), title="Your payout failed", important=True, data={"url": "/payouts"}
    )
    read = await send_notification(db, user.id, clock.now(), title="Read in time", important=True)
    await send_notification(db, user.id, clock.now(), title="Not important")
    assert read is not None
    await _mark_read(db, read.id)

    clock.advance(minutes=9, seconds=59)
    assert await container.notifications.email_unread_important() == 0
    clock.advance(seconds=1)
    await email_unread_important(container.notifications)
    await email_unread_important(container.notifications)
    await drain(container)

    [message] = await smtp_server.wait_for(1)
    assert str(message["To"]).strip() == user.email
    assert str(message["Subject"]).strip() == "Your payout failed"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    assert "http://127.0.0.1:8000/payouts" in text.get_content()
    await asyncio.sleep(0.2)
    assert len(smtp_server.received) == 1


async def test_concurrent_sweeps_claim_each_notification_once(
    container: Container, db: Database, clock: FakeClock
) -> None:
    users = [await make_user(db) for _ in range(3)]
    for user in users:
        for number in range(4):
            await send_notification(db, user.id, clock.now(), title=f"Important {number}", important=True)
    clock.advance(minutes=10)
    claimed = await asyncio.gather(*(container.notifications.email_unread_important(batch=5) for _ in range(4)))
    claimed_later = await container.notifications.email_unread_important()
    assert sum(claimed) + claimed_later == 12
    async with db.connection() as conn:
        keys = await conn.fetchval("SELECT count(DISTINCT dedupe_key) FROM pgqueuer WHERE entrypoint = 'send_email'")
        assert keys == 12
        assert await conn.fetchval("SELECT count(*) FROM notifications WHERE emailed_at IS NULL") == 0
