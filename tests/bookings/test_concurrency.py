"""Double booking is impossible by construction: races for one slot have exactly one winner."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import Counter

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.domain.accounts import Role
from procus.domain.errors import Conflict
from procus.services.bookings import BookingRequest, BookingService
from procus.store.db import Database
from tests.support.bookings import (
    bookable_expert,
    booking_body,
    http_expert,
    http_user,
    insert_client,
    overlapping_active_calls,
    overlapping_active_holds,
    principal,
    slot_start,
)
from tests.support.fakes import FakeClock

Client = AsyncTestClient[Litestar]
RACERS = 50


async def test_fifty_concurrent_requests_for_one_slot_make_exactly_one_booking(
    client: Client, db: Database, clock: FakeClock
) -> None:
    expert, _ = await http_expert(client, db, buffer_after=15)
    racers = [await http_user(client, db) for _ in range(RACERS)]
    body = booking_body(expert, slot_start(clock.now()))

    responses = await asyncio.gather(*(client.post("/v1/bookings", json=body, headers=h) for _, h in racers))

    assert Counter(r.status_code for r in responses) == {201: 1, 409: RACERS - 1}
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_taken"}
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM bookings") == 1
        assert await conn.fetchval("SELECT count(*) FROM calls") == 1
    assert await overlapping_active_holds(db) == 0
    assert await overlapping_active_calls(db) == 0


async def test_concurrent_requests_for_overlapping_slots_never_overlap(
    db: Database, clock: FakeClock, bookings: BookingService
) -> None:
    """Starts every 15 minutes for hour-long calls with a buffer: many overlap, so few can win."""
    expert = await bookable_expert(db, buffer_before=15)
    base = slot_start(clock.now())
    starts = [base + dt.timedelta(minutes=15 * (i % 12)) for i in range(RACERS)]
    clients = [await insert_client(db) for _ in range(RACERS)]

    async def attempt(client_id: uuid.UUID, start: dt.datetime) -> str:
        request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start)
        try:
            await bookings.requests.request(principal(client_id), request)
        except Conflict as conflict:
            return conflict.code
        return "created"

    results = Counter(await asyncio.gather(*(attempt(c, s) for c, s in zip(clients, starts, strict=True))))

    assert set(results) <= {"created", "slot_taken"}
    assert results["created"] >= 1
    assert await overlapping_active_holds(db) == 0
    assert await overlapping_active_calls(db) == 0


async def test_concurrent_reschedule_proposals_onto_one_slot_have_one_winner(
    db: Database, clock: FakeClock, bookings: BookingService
) -> None:
    expert = await bookable_expert(db)
    base = slot_start(clock.now(), hour=0)
    booking_ids = []
    for index in range(20):
        request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=base + dt.timedelta(hours=index))
        created = await bookings.requests.request(principal(await insert_client(db)), request)
        booking_ids.append(created.result.booking.view.booking.id)
    target = base + dt.timedelta(hours=21)
    as_expert = principal(expert.id, Role.EXPERT)

    async def propose(booking_id: uuid.UUID) -> str:
        try:
            await bookings.reschedules.propose(as_expert, booking_id, target)
        except Conflict as conflict:
            return conflict.code
        return "proposed"

    results = Counter(await asyncio.gather(*(propose(b) for b in booking_ids)))

    assert results == {"proposed": 1, "slot_taken": len(booking_ids) - 1}
    assert await overlapping_active_holds(db) == 0
    async with db.connection() as conn:
        winner = await conn.fetchval("SELECT id FROM bookings WHERE status = 'reschedule_proposed'")
        client_id = await conn.fetchval("SELECT client_id FROM bookings WHERE id = $1", winner)
    accepted = await bookings.reschedules.accept(principal(client_id), winner)
    assert accepted.view.booking.starts_at == target
    assert await overlapping_active_holds(db) == 0
    assert await overlapping_active_calls(db) == 0


async def test_new_requests_racing_a_reschedule_for_one_slot_have_one_winner(
    db: Database, clock: FakeClock, bookings: BookingService
) -> None:
    expert = await bookable_expert(db)
    start = slot_start(clock.now())
    created = await bookings.requests.request(
        principal(await insert_client(db)), BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start)
    )
    booking_id = created.result.booking.view.booking.id
    target = start + dt.timedelta(hours=3)
    clients = [await insert_client(db) for _ in range(10)]

    async def book(client_id: uuid.UUID) -> str:
        request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=target)
        try:
            await bookings.requests.request(principal(client_id), request)
        except Conflict as conflict:
            return conflict.code
        return "won"

    async def move() -> str:
        try:
            await bookings.reschedules.propose(principal(expert.id, Role.EXPERT), booking_id, target)
        except Conflict as conflict:
            return conflict.code
        return "won"

    results = Counter(await asyncio.gather(move(), *(book(c) for c in clients)))

    assert results == {"won": 1, "slot_taken": len(clients)}
    assert await overlapping_active_holds(db) == 0


async def test_racing_answers_to_one_booking_apply_exactly_one(
    db: Database, clock: FakeClock, bookings: BookingService
) -> None:
    expert = await bookable_expert(db)
    start = slot_start(clock.now())
    client_id = await insert_client(db)
    request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start)
    booking_id = (await bookings.requests.request(principal(client_id), request)).result.booking.view.booking.id
    as_expert, as_client = principal(expert.id, Role.EXPERT), principal(client_id)
    await bookings.answers.accept(as_expert, booking_id)
    await bookings.reschedules.propose(as_expert, booking_id, start + dt.timedelta(hours=4))

    async def outcome(accept: bool) -> str:
        try:
            if accept:
                await bookings.reschedules.accept(as_client, booking_id)
            else:
                await bookings.reschedules.decline(as_client, booking_id, None)
        except Conflict as conflict:
            return conflict.code
        return "applied"

    results = Counter(await asyncio.gather(*(outcome(index % 2 == 0) for index in range(10))))

    assert results["applied"] == 1
    assert set(results) - {"applied"} <= {"booking_confirmed", "booking_cancelled"}
    events = await bookings.reads.events(as_client, booking_id)
    assert len(events) == 4
    assert await overlapping_active_holds(db) == 0
