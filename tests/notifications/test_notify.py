"""notify(): numbering in commit order, NOTIFY on commit only, dedupe, and the email that goes with it."""

from __future__ import annotations

import asyncio
import datetime as dt

import asyncpg
import msgspec
import pytest

from procus.config import Settings
from procus.domain.mail import ics_attachment
from procus.services.notices.calendar_invite import build_invite
from procus.services.notices.emails import EmailJob, decode_context, queue_email
from procus.services.notices.notifications import EmailSpec, notify
from procus.store.db import Database
from procus.store.notification_channel import CHANNEL
from tests.support.fakes import FakeClock
from tests.support.notifications import make_user, send_notification


async def _queued_email_jobs(db: Database) -> list[EmailJob]:
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT payload FROM pgqueuer WHERE entrypoint = 'send_email' ORDER BY id")
    return [msgspec.json.decode(row["payload"], type=EmailJob) for row in rows]


async def test_each_users_notifications_are_numbered_from_one(db: Database, clock: FakeClock) -> None:
    ada, grace = await make_user(db), await make_user(db)
    numbers = [(await send_notification(db, ada.id, clock.now())) for _ in range(3)]
    other = await send_notification(db, grace.id, clock.now())
    assert [n.seq for n in numbers if n] == [1, 2, 3]
    assert other is not None
    assert other.seq == 1


async def test_a_second_writer_for_the_same_user_waits_for_the_first_to_commit(db: Database, clock: FakeClock) -> None:
    """Numbers are handed out in commit order, so a stream that sent n never later sees n-1 appear."""
    user = await make_user(db)
    first_holds = asyncio.Event()
    release_first = asyncio.Event()

    async def first() -> int:
        async with db.transaction() as tx:
            created = await notify(tx, user_id=user.id, kind="test.first", title="First", now=clock.now())
            first_holds.set()
            await release_first.wait()
        assert created is not None
        return created.seq

    async def second() -> int:
        await first_holds.wait()
        created = await send_notification(db, user.id, clock.now(), kind="test.second")
        assert created is not None
        return created.seq

    first_task, second_task = asyncio.create_task(first()), asyncio.create_task(second())
    await first_holds.wait()
    await asyncio.sleep(0.2)
    assert not second_task.done(), "the second writer must wait for the first one's commit"
    release_first.set()
    assert (await first_task, await second_task) == (1, 2)


async def test_the_channel_hears_about_commits_and_never_about_rollbacks(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    user = await make_user(db)
    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await asyncpg.connect(settings.database_url)
    await listener.add_listener(CHANNEL, lambda *args: heard.put_nowait(args[3]))
    try:

        async def notify_then_fail() -> None:
            async with db.transaction() as tx:
                await notify(tx, user_id=user.id, kind="test.rolled_back", title="Never", now=clock.now())
                raise LookupError("the business change fails after notify")

        with pytest.raises(LookupError):
            await notify_then_fail()
        kept = await send_notification(db, user.id, clock.now())
        assert kept is not None
        assert await asyncio.wait_for(heard.get(), 5) == f"{user.id}:{kept.seq}"
        await asyncio.sleep(0.1)
        assert heard.empty()
    finally:
        await listener.close()


async def test_a_dedupe_key_makes_notify_idempotent(db: Database, clock: FakeClock) -> None:
    user = await make_user(db)
    first = await send_notification(db, user.id, clock.now(), dedupe_key="booking-reminder:1:0:24h")
    again = await send_notification(db, user.id, clock.now(), dedupe_key="booking-reminder:1:0:24h")
    other = await send_notification(db, user.id, clock.now(), dedupe_key="booking-reminder:1:1:24h")
    assert again is None
    assert first is not None
    assert other is not None
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM notifications WHERE user_id = $1", user.id) == 2


async def test_an_email_spec_queues_the_email_to_the_user_with_their_name_and_zone(
    db: Database, clock: FakeClock
) -> None:
    user = await make_user(db, full_name="Grace Hopper", time_zone="Africa/Lagos")
    starts = clock.now() + dt.timedelta(days=2)
    invite = build_invite(
        booking_id="b-1",
        method="REQUEST",
        sequence=0,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        summary="Pricing",
        description="",
        join_url="http://127.0.0.1:8000/bookings/b-1/call",
        organizer_email="expert@example.com",
        organizer_name="Expert",
        attendee_email=user.email,
        attendee_name=user.full_name,
    )
    email = EmailSpec(
        template="booking_confirmed",
        context={
            "topic": "Pricing",
            "other_party_name": "Expert",
            "starts_at": starts,
            "ends_at": starts + dt.timedelta(minutes=30),
            "join_url": "http://127.0.0.1:8000/bookings/b-1/call",
            "booking_url": "http://127.0.0.1:8000/bookings/b-1",
        },
        attachments=[ics_attachment(invite, "REQUEST")],
    )
    created = await send_notification(db, user.id, clock.now(), email=email, important=True)
    assert created is not None

    [job] = await _queued_email_jobs(db)
    assert job.to == [user.email]
    assert job.email_key == f"notification:{created.id}"
    context = decode_context(job.context)
    assert context["recipient_name"] == "Grace Hopper"
    assert context["tz"] == "Africa/Lagos"
    assert context["starts_at"] == starts
    assert job.attachments[0].data == invite
    async with db.connection() as conn:
        emailed_at = await conn.fetchval("SELECT emailed_at FROM notifications WHERE id = $1", created.id)
    assert emailed_at == clock.now(), "an emailed notification never gets the unread fallback as well"


async def test_mistakes_fail_in_the_callers_transaction(db: Database, clock: FakeClock) -> None:
    user = await make_user(db)
    with pytest.raises(ValueError, match="kind"):
        await send_notification(db, user.id, clock.now(), kind="Booking Requested")
    with pytest.raises(ValueError, match="title"):
        await send_notification(db, user.id, clock.now(), title="")
    with pytest.raises(ValueError, match="needs context"):
        await send_notification(db, user.id, clock.now(), email=EmailSpec(template="booking_confirmed"))
    async with db.transaction() as tx:
        with pytest.raises(LookupError):
            await queue_email(tx, "no_such_template", user.email, {})
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM notifications") == 0
    assert await _queued_email_jobs(db) == []
