"""The slot list and the one check a booking makes, on real rows: busy holds, buffers, ownership, query count."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from procus.domain.availability import BookingSettings
from procus.domain.bookings import Booking
from procus.domain.errors import Conflict, InvalidInput, NotFound
from procus.services.experts.slots import SlotService, check_slot
from procus.store import availability
from procus.store import bookings as booking_store
from procus.store.db import Connection, Database
from tests.support.experts import insert_area, insert_busy, insert_expert, set_availability, weekdays
from tests.support.fakes import FakeClock

UTC = dt.UTC
MONDAY = dt.datetime(2027, 1, 4, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return MONDAY + dt.timedelta(days=day, hours=hour, minutes=minute)


@pytest.fixture
def monday_clock(clock: FakeClock) -> FakeClock:
    clock.current = MONDAY - dt.timedelta(days=2)
    return clock


async def _expert_with_hours(db: Database, **settings: int) -> tuple[uuid.UUID, uuid.UUID]:
    expert_id = await insert_expert(db)
    area_id = await insert_area(db, expert_id, duration=60)
    await set_availability(db, expert_id, rules=weekdays(9 * 60, 12 * 60), settings=BookingSettings(**settings))
    return expert_id, area_id


@contextmanager
def counting_queries(conn: Connection) -> Iterator[list[str]]:
    seen: list[str] = []

    def log(record: Any) -> None:
        seen.append(record.query)

    conn.add_query_logger(log)
    try:
        yield seen
    finally:
        conn.remove_query_logger(log)


async def test_slot_inputs_take_two_queries_and_only_active_holds_count(db: Database) -> None:
    expert_id, area_id = await _expert_with_hours(db)
    pending = await insert_busy(db, expert_id, at(0, 9), at(0, 10), status="pending")
    await insert_busy(db, expert_id, at(0, 10), at(0, 11), status="confirmed")
    await insert_busy(db, expert_id, at(0, 11), at(0, 12), status="cancelled")
    await insert_busy(db, expert_id, at(20, 9), at(20, 10))
    async with db.connection() as conn:
        await availability.load_slot_inputs(conn, expert_id, area_id, at(0, 0), at(1, 0))  # type introspection
        with counting_queries(conn) as queries:
            inputs = await availability.load_slot_inputs(conn, expert_id, area_id, at(0, 0), at(1, 0))
            await asyncio.sleep(0)  # asyncpg reports queries with call_soon
        assert len(queries) == 2
        moved = await availability.load_slot_inputs(
            conn, expert_id, area_id, at(0, 0), at(1, 0), exclude_booking_id=pending
        )
    assert sorted((b.start, b.end) for b in inputs.busy) == [(at(0, 9), at(0, 10)), (at(0, 10), at(0, 11))]
    assert [(b.start, b.end) for b in moved.busy] == [(at(0, 10), at(0, 11))]
    assert inputs.area.id == area_id
    assert inputs.expert_listed
    assert len(inputs.availability.rules) == 7


async def test_slots_avoid_busy_time_with_buffers(db: Database, monday_clock: FakeClock) -> None:
    expert_id, area_id = await _expert_with_hours(db, buffer_after_minutes=15)
    await insert_busy(db, expert_id, at(0, 10, 15), at(0, 10, 45))
    service = SlotService(db, monday_clock)
    found = await service.list_slots(expert_id, area_id, at(0, 0), at(1, 0))
    # Open 09:00-12:00, 60-min calls blocking 15 min after them, held 10:15-10:45: a 09:00 call's
    # blocked range ends exactly at 10:15 (half-open, so it fits), 09:15 would overlap.
    assert found.slots == [at(0, 9), at(0, 10, 45), at(0, 11)]
    assert found.duration_minutes == 60
    assert found.by_local_date is None


async def test_notice_and_horizon_bound_the_slots(db: Database, monday_clock: FakeClock) -> None:
    expert_id, area_id = await _expert_with_hours(db, min_notice_minutes=24 * 60, horizon_days=3)
    monday_clock.current = at(0, 9, 30)
    service = SlotService(db, monday_clock)
    found = await service.list_slots(expert_id, area_id, at(0, 0), at(6, 0))
    assert found.slots[0] == at(1, 9, 30)
    assert found.slots[-1] == at(3, 9, 30)


async def test_unknown_foreign_inactive_and_unlisted(db: Database, monday_clock: FakeClock) -> None:
    service = SlotService(db, monday_clock)
    expert_id, _area_id = await _expert_with_hours(db)
    _other_id, other_area = await _expert_with_hours(db)
    with pytest.raises(NotFound) as unknown:
        await service.list_slots(expert_id, uuid.uuid4(), at(0, 0), at(1, 0))
    assert unknown.value.code == "area_not_found"
    with pytest.raises(NotFound) as foreign:
        await service.list_slots(expert_id, other_area, at(0, 0), at(1, 0))
    assert foreign.value.code == "area_not_found"

    inactive = await insert_area(db, expert_id, active=False)
    with pytest.raises(Conflict) as gone:
        await service.list_slots(expert_id, inactive, at(0, 0), at(1, 0))
    assert gone.value.code == "area_inactive"

    hidden_id = await insert_expert(db, approval="pending")
    hidden_area = await insert_area(db, hidden_id)
    with pytest.raises(NotFound) as hidden:
        await service.list_slots(hidden_id, hidden_area, at(0, 0), at(1, 0))
    assert hidden.value.code == "expert_not_found"


async def test_window_is_validated(db: Database, monday_clock: FakeClock) -> None:
    service = SlotService(db, monday_clock)
    expert_id, area_id = await _expert_with_hours(db)
    with pytest.raises(InvalidInput) as empty:
        await service.list_slots(expert_id, area_id, at(1, 0), at(1, 0))
    assert (empty.value.code, empty.value.field) == ("empty_window", "to")
    with pytest.raises(InvalidInput) as long:
        await service.list_slots(expert_id, area_id, at(0, 0), at(63, 0))
    assert (long.value.code, long.value.field) == ("window_too_long", "to")
    with pytest.raises(InvalidInput) as zone:
        await service.list_slots(expert_id, area_id, at(0, 0), at(1, 0), group_in="Nowhere/Else")
    assert zone.value.field == "tz"


async def test_the_booking_check_agrees_with_the_list(db: Database, monday_clock: FakeClock) -> None:
    """``check_slot`` (what a booking or a move re-checks) accepts exactly the listed starts."""
    expert_id, area_id = await _expert_with_hours(db)
    booking = await insert_busy(db, expert_id, at(0, 10), at(0, 11))
    service = SlotService(db, monday_clock)
    now = monday_clock.now()
    listed = set((await service.list_slots(expert_id, area_id, at(0, 0), at(1, 0))).slots)

    async def bookable(start: dt.datetime, moving: Booking | None = None) -> bool:
        async with db.connection() as conn:
            try:
                await check_slot(conn, expert_id=expert_id, area_id=area_id, start=start, now=now, moving=moving)
            except Conflict:
                return False
        return True

    for minute in range(0, 24 * 60, 15):
        start = at(0, 0, minute)
        assert await bookable(start) == (start in listed), start
    assert not await bookable(at(0, 10))
    async with db.connection() as conn:
        moving = await booking_store.get_booking(conn, booking)
    assert await bookable(at(0, 10), moving=moving), "a booking being moved does not collide with itself"
    async with db.transaction() as tx:
        slot = await check_slot(tx, expert_id=expert_id, area_id=area_id, start=at(0, 9), now=now)
    assert slot.area.id == area_id
    async with db.connection() as conn:
        with pytest.raises(Conflict) as taken:
            await check_slot(conn, expert_id=expert_id, area_id=area_id, start=at(0, 10, 30), now=now)
        assert taken.value.code == "slot_taken"
        with pytest.raises(NotFound):
            await check_slot(conn, expert_id=expert_id, area_id=uuid.uuid4(), start=at(0, 9), now=now)
