"""Rescheduling: the expert proposes, the proposal holds its time, the client accepts or declines."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from procus.domain.accounts import Role
from procus.domain.bookings import BookingStatus
from procus.domain.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from procus.services.bookings import BookingRequest, BookingService
from procus.store.db import Database
from tests.support.bookings import BookableExpert, insert_client, overlapping_active_holds, principal, slot_start
from tests.support.fakes import FakeClock, FakeEscrow


async def _confirmed(
    bookings: BookingService, db: Database, expert: BookableExpert, start: dt.datetime
) -> tuple[uuid.UUID, uuid.UUID]:
    client_id = await insert_client(db)
    request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start)
    booking_id = (await bookings.requests.request(principal(client_id), request)).result.booking.view.booking.id
    await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    return client_id, booking_id


async def _held(db: Database, holder_id: uuid.UUID) -> list[tuple[str, dt.datetime]]:
    async with db.connection() as conn:
        rows = await conn.fetch(
            "SELECT kind, lower(during) AS start FROM time_holds WHERE holder_id = $1 AND active ORDER BY 2",
            holder_id,
        )
    return [(row["kind"], row["start"]) for row in rows]


async def test_a_proposal_holds_the_new_time_until_the_client_accepts(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    new_start = start + dt.timedelta(minutes=30)
    client_id, booking_id = await _confirmed(bookings, db, expert, start)
    as_expert = principal(expert.id, Role.EXPERT)

    proposed = await bookings.reschedules.propose(as_expert, booking_id, new_start, "Running late that day")

    booking = proposed.view.booking
    assert booking.status is BookingStatus.RESCHEDULE_PROPOSED
    assert (booking.proposed_start, booking.proposed_end) == (new_start, new_start + dt.timedelta(minutes=60))
    assert booking.starts_at == start
    assert booking.expires_at == clock.now() + dt.timedelta(hours=24)
    assert await _held(db, expert.id) == [("booking", start), ("proposal", new_start)]
    for taken in (start, new_start + dt.timedelta(minutes=30)):
        with pytest.raises(Conflict):
            await bookings.requests.request(
                principal(await insert_client(db)),
                BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=taken),
            )

    accepted = await bookings.reschedules.accept(principal(client_id), booking_id)

    moved = accepted.view.booking
    assert moved.status is BookingStatus.CONFIRMED
    assert (moved.starts_at, moved.ends_at) == (new_start, new_start + dt.timedelta(minutes=60))
    assert (moved.proposed_start, moved.sequence) == (None, 1)
    assert await _held(db, expert.id) == [("booking", new_start)]
    assert await _held(db, client_id) == [("booking", new_start)]
    async with db.connection() as conn:
        call = await conn.fetchrow(
            "SELECT starts_at, ends_at, upper(blocked) AS until FROM calls WHERE id = $1", moved.call_id
        )
    assert call is not None
    assert (call["starts_at"], call["until"]) == (new_start, new_start + dt.timedelta(minutes=60))
    events = await bookings.reads.events(principal(client_id), booking_id)
    assert [(e.action, e.from_status, e.to_status) for e in events][-2:] == [
        ("propose_reschedule", "confirmed", "reschedule_proposed"),
        ("accept_reschedule", "reschedule_proposed", "confirmed"),
    ]
    assert events[-1].data == {"from_start": start.isoformat(), "to_start": new_start.isoformat()}
    assert await overlapping_active_holds(db) == 0


async def test_declining_the_proposal_cancels_with_a_full_refund(
    db: Database, clock: FakeClock, escrow: FakeEscrow, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    client_id, booking_id = await _confirmed(bookings, db, expert, start)
    await bookings.reschedules.propose(principal(expert.id, Role.EXPERT), booking_id, start + dt.timedelta(hours=5))

    outcome = await bookings.reschedules.decline(principal(client_id), booking_id, None)

    booking = outcome.result.view.booking
    assert (booking.status, booking.proposed_start, booking.sequence) == (BookingStatus.CANCELLED, None, 1)
    assert escrow.refunds == [(booking_id, 10_000, "decline_reschedule")]
    assert await _held(db, expert.id) == []


async def test_a_proposal_on_a_pending_request_confirms_it_when_accepted(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    client_id = await insert_client(db)
    request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start)
    booking_id = (await bookings.requests.request(principal(client_id), request)).result.booking.view.booking.id
    await bookings.reschedules.propose(principal(expert.id, Role.EXPERT), booking_id, start + dt.timedelta(hours=2))

    accepted = await bookings.reschedules.accept(principal(client_id), booking_id)

    assert accepted.view.booking.status is BookingStatus.CONFIRMED
    assert accepted.view.booking.sequence == 0
    assert accepted.view.booking.confirmed_at == clock.now()


async def test_a_new_proposal_replaces_the_unanswered_one(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    _, booking_id = await _confirmed(bookings, db, expert, start)
    as_expert = principal(expert.id, Role.EXPERT)
    await bookings.reschedules.propose(as_expert, booking_id, start + dt.timedelta(hours=2))
    await bookings.reschedules.propose(as_expert, booking_id, start + dt.timedelta(hours=4))
    assert await _held(db, expert.id) == [("booking", start), ("proposal", start + dt.timedelta(hours=4))]


async def test_proposals_are_checked_like_new_bookings(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    client_id, booking_id = await _confirmed(bookings, db, expert, start)
    await _confirmed(bookings, db, expert, start + dt.timedelta(hours=3))
    as_expert = principal(expert.id, Role.EXPERT)
    cases: list[tuple[dt.datetime, type[DomainError], str]] = [
        (start, InvalidInput, "same_time"),
        (start + dt.timedelta(hours=3, minutes=30), Conflict, "slot_taken"),
        (start + dt.timedelta(minutes=7), Conflict, "slot_unavailable"),
        (clock.now() + dt.timedelta(minutes=30), Conflict, "slot_unavailable"),
    ]
    for new_start, error, code in cases:
        with pytest.raises(error) as caught:
            await bookings.reschedules.propose(as_expert, booking_id, new_start)
        assert caught.value.code == code
    with pytest.raises(PermissionDenied) as forbidden:
        await bookings.reschedules.propose(principal(client_id), booking_id, start + dt.timedelta(hours=6))
    assert forbidden.value.code == "client_cannot_propose_reschedule"


async def test_a_proposal_left_unanswered_expires_by_the_original_start(
    db: Database, clock: FakeClock, escrow: FakeEscrow, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now(), days=0, hour=0) + dt.timedelta(days=1, hours=6)
    client_id, booking_id = await _confirmed(bookings, db, expert, start)
    clock.current = start - dt.timedelta(hours=4)
    proposed = await bookings.reschedules.propose(
        principal(expert.id, Role.EXPERT), booking_id, start + dt.timedelta(days=1)
    )
    assert proposed.view.booking.expires_at == start
    clock.current = start
    with pytest.raises(Conflict) as caught:
        await bookings.reschedules.accept(principal(client_id), booking_id)
    assert caught.value.code == "answer_deadline_passed"

    assert await bookings.expiry.expire_unanswered() == 1

    assert escrow.refunds == [(booking_id, 10_000, "expire: The new time was not answered in time")]
    assert await _held(db, expert.id) == []
