"""Requesting a booking through the service: the slot re-check, the snapshot, the holds."""

from __future__ import annotations

import datetime as dt

import pytest

from procus.domain.accounts import Role
from procus.domain.bookings import BookingStatus, CallStatus
from procus.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    ServiceUnavailable,
)
from procus.services.bookings import BookingList, BookingRequest, BookingService
from procus.store.db import Database
from tests.support.bookings import (
    BookableExpert,
    bookable_expert,
    insert_client,
    overlapping_active_holds,
    principal,
    slot_start,
)
from tests.support.fakes import FakeClock, FakeEscrow


def _request(expert: BookableExpert, start: dt.datetime, note: str = "") -> BookingRequest:
    return BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start, note=note)


async def test_request_creates_a_pending_booking_holding_the_slot(
    db: Database, clock: FakeClock, escrow: FakeEscrow, bookings: BookingService, expert: BookableExpert
) -> None:
    client_id = await insert_client(db)
    start = slot_start(clock.now())
    outcome = await bookings.requests.request(principal(client_id), _request(expert, start, "  About my thesis  "))

    created = outcome.result
    booking = created.booking.view.booking
    assert not outcome.replayed
    assert booking.status is BookingStatus.PENDING
    assert booking.call_status is CallStatus.SCHEDULED
    assert (booking.starts_at, booking.ends_at) == (start, start + dt.timedelta(minutes=60))
    assert (booking.price.amount, booking.price.currency) == (50_00, "NGN")
    assert booking.platform_fee_bps == 1000
    assert booking.note == "About my thesis"
    assert booking.expires_at == clock.now() + dt.timedelta(hours=24)
    assert booking.room_name == f"booking-{booking.id}"
    assert created.checkout.reference == f"fake-{booking.id.hex}"
    assert escrow.prices[booking.id].amount == 50_00
    assert created.booking.actions == ["cancel"]
    async with db.connection() as conn:
        holds = await conn.fetch("SELECT side, holder_id, active FROM time_holds WHERE booking_id = $1", booking.id)
    assert {(h["side"], h["holder_id"], h["active"]) for h in holds} == {
        ("expert", expert.id, True),
        ("client", client_id, True),
    }
    events = await bookings.reads.events(principal(client_id), booking.id)
    assert [(e.action, e.from_status, e.to_status, e.actor_id) for e in events] == [
        ("request", None, BookingStatus.PENDING, client_id)
    ]


async def test_a_request_expires_at_the_start_when_that_comes_first(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = (clock.now() + dt.timedelta(hours=3)).replace(minute=0, second=0) + dt.timedelta(hours=1)
    booking = (await bookings.requests.request(principal(await insert_client(db)), _request(expert, start))).result
    assert booking.booking.view.booking.expires_at == start


async def test_the_price_is_a_snapshot(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    created = (
        await bookings.requests.request(principal(await insert_client(db)), _request(expert, slot_start(clock.now())))
    ).result
    async with db.connection() as conn:
        await conn.execute("UPDATE expertise_areas SET price_amount = 99900 WHERE id = $1", expert.area_id)
    again = await bookings.reads.get(principal(created.booking.view.client.id), created.booking.view.booking.id)
    assert again.view.booking.price.amount == 50_00


async def test_an_expert_cannot_book_themself(
    clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await bookings.requests.request(principal(expert.id, Role.EXPERT), _request(expert, slot_start(clock.now())))
    assert caught.value.code == "cannot_book_self"


async def test_an_expert_may_book_another_expert(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    other = await bookable_expert(db, full_name="Other Expert")
    created = await bookings.requests.request(
        principal(other.id, Role.EXPERT), _request(expert, slot_start(clock.now()))
    )
    assert created.result.booking.view.booking.client_id == other.id


async def test_only_verified_clients_and_experts_book(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    unverified = await insert_client(db, verified=False)
    with pytest.raises(PreconditionFailed) as caught:
        await bookings.requests.request(principal(unverified, verified=False), _request(expert, start))
    assert caught.value.code == "email_not_verified"
    with pytest.raises(PermissionDenied):
        await bookings.requests.request(principal(await insert_client(db), Role.ADMIN), _request(expert, start))


@pytest.mark.parametrize(
    ("hours_ahead", "minute"),
    [(48, 7), (0, 30)],
    ids=["off the slot grid", "inside the minimum notice"],
)
async def test_a_time_that_is_not_a_slot_is_refused(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert, hours_ahead: int, minute: int
) -> None:
    start = (clock.now() + dt.timedelta(hours=hours_ahead)).replace(minute=minute, second=0, microsecond=0)
    with pytest.raises(Conflict) as caught:
        await bookings.requests.request(principal(await insert_client(db)), _request(expert, start))
    assert caught.value.code == "slot_unavailable"


async def test_a_taken_slot_is_refused_and_buffers_count(
    db: Database, clock: FakeClock, bookings: BookingService
) -> None:
    expert = await bookable_expert(db, buffer_after=15)
    start = slot_start(clock.now())
    await bookings.requests.request(principal(await insert_client(db)), _request(expert, start))
    for taken in (start, start + dt.timedelta(minutes=30), start + dt.timedelta(minutes=60)):
        with pytest.raises(Conflict) as caught:
            await bookings.requests.request(principal(await insert_client(db)), _request(expert, taken))
        assert caught.value.code == "slot_taken"
    await bookings.requests.request(
        principal(await insert_client(db)), _request(expert, start + dt.timedelta(minutes=75))
    )
    assert await overlapping_active_holds(db) == 0


async def test_a_client_cannot_hold_two_overlapping_bookings(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    other = await bookable_expert(db, buffer_before=30, full_name="Other Expert")
    client = principal(await insert_client(db))
    start = slot_start(clock.now())
    await bookings.requests.request(client, _request(expert, start))
    with pytest.raises(Conflict) as caught:
        await bookings.requests.request(client, _request(other, start + dt.timedelta(minutes=30)))
    assert caught.value.code == "overlapping_booking"
    # The client's side is the plain call: the other expert's buffer may overlap the client's first call.
    await bookings.requests.request(client, _request(other, start + dt.timedelta(minutes=60)))


async def test_unlisted_experts_and_inactive_areas_cannot_be_booked(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    client = principal(await insert_client(db))
    start = slot_start(clock.now())
    async with db.connection() as conn:
        await conn.execute("UPDATE expertise_areas SET active = false WHERE id = $1", expert.area_id)
    with pytest.raises(NotFound):
        await bookings.requests.request(client, _request(expert, start))
    async with db.connection() as conn:
        await conn.execute("UPDATE expertise_areas SET active = true WHERE id = $1", expert.area_id)
        await conn.execute("UPDATE expert_profiles SET published = false WHERE user_id = $1", expert.id)
    with pytest.raises(NotFound):
        await bookings.requests.request(client, _request(expert, start))


async def test_a_failed_checkout_leaves_nothing_behind(
    db: Database, clock: FakeClock, escrow: FakeEscrow, bookings: BookingService, expert: BookableExpert
) -> None:
    escrow.checkout_error = ServiceUnavailable("payments_unavailable")
    with pytest.raises(ServiceUnavailable):
        await bookings.requests.request(principal(await insert_client(db)), _request(expert, slot_start(clock.now())))
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM bookings") == 0
        assert await conn.fetchval("SELECT count(*) FROM time_holds") == 0


async def test_start_must_carry_an_offset(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    naive = slot_start(clock.now()).replace(tzinfo=None)
    with pytest.raises(InvalidInput) as caught:
        await bookings.requests.request(principal(await insert_client(db)), _request(expert, naive))
    assert caught.value.code == "naive_datetime"


async def test_listing_splits_upcoming_from_past_and_pages_both_ways(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    client = principal(await insert_client(db))
    base = slot_start(clock.now(), hour=1)
    ids = []
    for index in range(5):
        created = await bookings.requests.request(client, _request(expert, base + dt.timedelta(hours=2 * index)))
        ids.append(created.result.booking.view.booking.id)
    clock.current = base + dt.timedelta(hours=4, minutes=30)

    past = await bookings.reads.list_mine(client, BookingList(when="past", limit=2))
    assert [item.view.booking.id for item in past.items] == [ids[1], ids[0]]
    assert past.next_cursor is None
    upcoming = await bookings.reads.list_mine(client, BookingList(when="upcoming", limit=2))
    assert [item.view.booking.id for item in upcoming.items] == [ids[2], ids[3]]
    assert upcoming.next_cursor is not None
    rest = await bookings.reads.list_mine(client, BookingList(when="upcoming", limit=2, cursor=upcoming.next_cursor))
    assert [item.view.booking.id for item in rest.items] == [ids[4]]
    everything = await bookings.reads.list_mine(client, BookingList(limit=100))
    assert [item.view.booking.id for item in everything.items] == ids[::-1]
    with pytest.raises(InvalidInput) as caught:
        await bookings.reads.list_mine(client, BookingList(when="past", cursor=upcoming.next_cursor))
    assert caught.value.code == "cursor_mismatch"


async def test_upcoming_lists_only_bookings_still_to_happen(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    client = principal(await insert_client(db))
    base = slot_start(clock.now(), hour=1)
    ids = []
    for index in range(3):
        created = await bookings.requests.request(client, _request(expert, base + dt.timedelta(hours=2 * index)))
        ids.append(created.result.booking.view.booking.id)
    await bookings.cancellations.cancel(client, ids[0], "Plans changed")
    await bookings.answers.decline(principal(expert.id, Role.EXPERT), ids[1], "Away that day")

    upcoming = await bookings.reads.list_mine(client, BookingList(when="upcoming"))
    assert [item.view.booking.id for item in upcoming.items] == [ids[2]]
    asked = await bookings.reads.list_mine(
        client, BookingList(when="upcoming", statuses=(BookingStatus.CANCELLED, BookingStatus.PENDING))
    )
    assert [item.view.booking.id for item in asked.items] == [ids[2]], "closed statuses are never upcoming"
    closed_only = await bookings.reads.list_mine(
        client, BookingList(when="upcoming", statuses=(BookingStatus.DECLINED,))
    )
    assert closed_only.items == []
    everything = await bookings.reads.list_mine(client, BookingList())
    assert {item.view.booking.id for item in everything.items} == set(ids)
