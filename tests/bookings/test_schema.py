"""The database itself refuses overlaps, whatever the application does."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import pytest

from procus.domain.accounts import Role
from procus.services.bookings import BookingRequest, BookingService
from procus.store.db import Database
from tests.support.bookings import BookableExpert, insert_client, principal, slot_start
from tests.support.fakes import FakeClock

INSERT_HOLD = """
INSERT INTO time_holds (booking_id, kind, holder_id, side, during) VALUES ($1, $2, $3, 'expert', tstzrange($4, $5))
"""


async def _booking(bookings: BookingService, db: Database, expert: BookableExpert, start: dt.datetime) -> uuid.UUID:
    request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start)
    created = await bookings.requests.request(principal(await insert_client(db)), request)
    return created.result.booking.view.booking.id


async def test_overlapping_active_holds_of_one_person_are_refused(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    first = await _booking(bookings, db, expert, start)
    second = await _booking(bookings, db, expert, start + dt.timedelta(hours=3))
    async with db.connection() as conn:
        with pytest.raises(asyncpg.ExclusionViolationError):
            await conn.execute(
                INSERT_HOLD,
                second,
                "proposal",
                expert.id,
                start + dt.timedelta(minutes=59),
                start + dt.timedelta(hours=2),
            )
        # Touching is not overlapping, and a booking's proposal may overlap its own current time.
        await conn.execute(
            INSERT_HOLD, second, "proposal", expert.id, start + dt.timedelta(hours=1), start + dt.timedelta(hours=2)
        )
        await conn.execute(
            INSERT_HOLD,
            first,
            "proposal",
            expert.id,
            start - dt.timedelta(minutes=30),
            start + dt.timedelta(minutes=30),
        )


async def test_ending_a_booking_releases_its_time_and_drops_its_proposal(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    booking_id = await _booking(bookings, db, expert, start)
    await bookings.reschedules.propose(principal(expert.id, Role.EXPERT), booking_id, start + dt.timedelta(hours=4))
    async with db.connection() as conn:
        await conn.execute("UPDATE bookings SET status = 'cancelled', proposed_start = NULL, proposed_end = NULL")
        holds = await conn.fetch("SELECT kind, active FROM time_holds WHERE booking_id = $1", booking_id)
        assert {(h["kind"], h["active"]) for h in holds} == {("booking", False)}
        # Released time is free at the database level too.
        other = await _booking(bookings, db, expert, start + dt.timedelta(hours=8))
        await conn.execute(INSERT_HOLD, other, "proposal", expert.id, start, start + dt.timedelta(hours=1))
