"""Booking reminders 24 h and 15 min ahead: planned per booking version, sent only while it still stands."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.bootstrap import Container
from procus.domain.accounts import User
from procus.domain.reminders import BookingReminder, ReminderLead, ReminderParty
from procus.services.notices.reminders import (
    BOOKING_REMINDER_JOB,
    ReminderJob,
    ReminderService,
    schedule_booking_reminders,
)
from procus.store.db import Connection, Database
from tests.jobs.conftest import drain
from tests.support.fakes import FakeClock
from tests.support.notifications import make_user
from tests.support.smtp_server import SmtpTestServer


class FakeBookings:
    """A BookingReminderSource over a dict, standing in for the bookings store."""

    def __init__(self) -> None:
        self.bookings: dict[uuid.UUID, BookingReminder] = {}

    async def booking_for_reminder(self, conn: Connection, booking_id: uuid.UUID) -> BookingReminder | None:
        return self.bookings.get(booking_id)


async def _planned(db: Database) -> list[tuple[ReminderJob, dt.timedelta]]:
    async with db.connection() as conn:
        rows = await conn.fetch(
            "SELECT payload, execute_after - now() AS delay FROM pgqueuer WHERE entrypoint = $1 ORDER BY id",
            BOOKING_REMINDER_JOB,
        )
    return [(msgspec.json.decode(row["payload"], type=ReminderJob), row["delay"]) for row in rows]


async def _plan(db: Database, booking_id: uuid.UUID, sequence: int, starts_at: dt.datetime, now: dt.datetime) -> int:
    async with db.transaction() as tx:
        return await schedule_booking_reminders(
            tx, booking_id=booking_id, sequence=sequence, starts_at=starts_at, now=now
        )


def _reminder(
    booking_id: uuid.UUID, starts: dt.datetime, client: User, expert: User, *, sequence: int = 0
) -> BookingReminder:
    """A confirmed 30-minute booking of ``client`` with ``expert``, as reminders read it."""
    return BookingReminder(
        booking_id=booking_id,
        sequence=sequence,
        confirmed=True,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=30),
        topic="Pricing strategy",
        join_url=f"http://127.0.0.1:8000/bookings/{booking_id}/call",
        parties=[
            ReminderParty(user_id=client.id, other_party_name=expert.full_name),
            ReminderParty(user_id=expert.id, other_party_name=client.full_name),
        ],
    )


def _close(delay: dt.timedelta, expected: dt.timedelta) -> bool:
    return abs(delay - expected) < dt.timedelta(seconds=30)


async def test_reminders_are_planned_for_the_times_still_ahead(db: Database, clock: FakeClock) -> None:
    booking_id = uuid.uuid4()
    starts = clock.now() + dt.timedelta(days=3)
    assert await _plan(db, booking_id, 0, starts, clock.now()) == 2
    assert await _plan(db, booking_id, 0, starts, clock.now()) == 0, "the same version is planned once"
    [(day_before, first_delay), (quarter, second_delay)] = await _planned(db)
    assert (day_before.lead, quarter.lead) == (ReminderLead.DAY_BEFORE, ReminderLead.QUARTER_HOUR)
    assert day_before.starts_at == starts
    assert _close(first_delay, dt.timedelta(days=2))
    assert _close(second_delay, dt.timedelta(days=3, minutes=-15))

    moved = clock.now() + dt.timedelta(hours=2)
    assert await _plan(db, booking_id, 1, moved, clock.now()) == 1, "24 h before is already past"
    assert await _plan(db, uuid.uuid4(), 0, clock.now() + dt.timedelta(minutes=10), clock.now()) == 0


async def test_a_reminder_goes_to_both_parties_once_and_only_while_the_booking_stands(
    db: Database, clock: FakeClock
) -> None:
    client, expert = await make_user(db, full_name="Ada"), await make_user(db, full_name="Grace")
    bookings = FakeBookings()
    service = ReminderService(db, clock, bookings)
    booking_id = uuid.uuid4()
    starts = clock.now() + dt.timedelta(minutes=14)
    standing = _reminder(booking_id, starts, client, expert, sequence=2)
    job = ReminderJob(booking_id=booking_id, sequence=2, starts_at=starts, lead=ReminderLead.QUARTER_HOUR)

    assert await service.send_booking_reminder(job) is False, "no such booking"
    for changed in (
        msgspec.structs.replace(standing, confirmed=False),
        msgspec.structs.replace(standing, sequence=3),
        msgspec.structs.replace(standing, starts_at=starts + dt.timedelta(hours=1)),
    ):
        bookings.bookings[booking_id] = changed
        assert await service.send_booking_reminder(job) is False
    bookings.bookings[booking_id] = standing
    late_day_before = msgspec.structs.replace(job, lead=ReminderLead.DAY_BEFORE)
    assert await service.send_booking_reminder(late_day_before) is False, "the 15-minute one is already due"

    assert await service.send_booking_reminder(job) is True
    assert await service.send_booking_reminder(job) is True
    async with db.connection() as conn:
        notified = await conn.fetch("SELECT user_id, kind, title FROM notifications ORDER BY user_id")
        emails = await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = 'send_email'")
    assert sorted(row["user_id"] for row in notified) == sorted([client.id, expert.id])
    assert {(row["kind"], row["title"]) for row in notified} == {
        ("booking.reminder", "In 15 minutes: Pricing strategy")
    }
    assert emails == 2


async def test_a_due_reminder_is_delivered_by_the_worker(
    container: Container, db: Database, clock: FakeClock, smtp_server: SmtpTestServer
) -> None:
    client, expert = await make_user(db, full_name="Ada"), await make_user(db, full_name="Grace")
    bookings = FakeBookings()
    container.reminders = ReminderService(container.db, clock, bookings)
    booking_id = uuid.uuid4()
    starts = clock.now() + dt.timedelta(minutes=15, seconds=1)
    bookings.bookings[booking_id] = _reminder(booking_id, starts, client, expert)
    assert await _plan(db, booking_id, 0, starts, clock.now()) == 1
    await drain(container)
    messages = await smtp_server.wait_for(2)
    subjects = sorted(str(message["Subject"]).strip() for message in messages)
    assert subjects == [
        "Starting in 15 minutes: Pricing strategy with Ada",
        "Starting in 15 minutes: Pricing strategy with Grace",
    ]
    text = messages[0].get_body(preferencelist=("plain",))
    assert text is not None
    assert f"/bookings/{booking_id}/call" in text.get_content()
