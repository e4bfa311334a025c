"""Accept, decline, cancel and expire: the state machine, the money, the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec
import pytest

from procus.domain.accounts import Role
from procus.domain.booking_states import BookingAction
from procus.domain.bookings import BookingStatus, CallStatus
from procus.domain.cancellation import RefundPolicy
from procus.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from procus.services.bookings import BookingPolicy, BookingRequest, BookingService
from procus.store.db import Database
from tests.bookings.conftest import make_service
from tests.support.bookings import BookableExpert, insert_client, principal, slot_start
from tests.support.experts import insert_admin
from tests.support.fakes import FakeClock, FakeEscrow

EXPERT_REASON = "I am away that week"


async def _book(
    bookings: BookingService, db: Database, expert: BookableExpert, start: dt.datetime
) -> tuple[uuid.UUID, uuid.UUID]:
    client_id = await insert_client(db)
    request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start)
    created = await bookings.requests.request(principal(client_id), request)
    return client_id, created.result.booking.view.booking.id


async def _holds(db: Database, booking_id: uuid.UUID) -> set[tuple[str, str, bool]]:
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT kind, side, active FROM time_holds WHERE booking_id = $1", booking_id)
    return {(row["kind"], row["side"], row["active"]) for row in rows}


async def _jobs(db: Database, entrypoint: str) -> list[dict[str, Any]]:
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT payload FROM pgqueuer WHERE entrypoint = $1 ORDER BY id", entrypoint)
    return [msgspec.json.decode(row["payload"]) for row in rows]


async def test_the_expert_accepts_a_paid_request(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    client_id, booking_id = await _book(bookings, db, expert, slot_start(clock.now()))
    clock.advance(minutes=5)
    details = await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)

    booking = details.view.booking
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.confirmed_at == clock.now()
    assert booking.sequence == 0
    assert {BookingAction.PROPOSE_RESCHEDULE, BookingAction.CANCEL} <= set(details.actions)
    assert BookingAction.ACCEPT not in details.actions
    emails = await _jobs(db, "send_email")
    confirmed = [email for email in emails if email["template"] == "booking_confirmed"]
    assert len(confirmed) == 2
    assert all(
        email["attachments"][0]["content_type"].startswith("text/calendar; method=REQUEST") for email in confirmed
    )
    assert {job["lead"] for job in await _jobs(db, "booking_reminder")} == {"24h", "15m"}
    events = await bookings.reads.events(principal(client_id), booking_id)
    assert [(e.action, e.from_status, e.to_status) for e in events][-1] == ("accept", "pending", "confirmed")


async def test_accepting_waits_for_the_payment(
    db: Database, clock: FakeClock, escrow: FakeEscrow, bookings: BookingService, expert: BookableExpert
) -> None:
    escrow.auto_pay = False
    _, booking_id = await _book(bookings, db, expert, slot_start(clock.now()))
    with pytest.raises(Conflict) as caught:
        await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    assert caught.value.code == "payment_pending"
    escrow.pay(booking_id)
    await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)


async def test_only_the_right_person_may_act_and_only_from_the_right_state(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    client_id, booking_id = await _book(bookings, db, expert, slot_start(clock.now()))
    with pytest.raises(PermissionDenied) as forbidden:
        await bookings.answers.accept(principal(client_id), booking_id)
    assert forbidden.value.code == "client_cannot_accept"
    with pytest.raises(NotFound):
        await bookings.answers.accept(principal(await insert_client(db)), booking_id)
    with pytest.raises(NotFound):
        await bookings.reads.get(principal(await insert_client(db)), booking_id)
    admin = await bookings.reads.get(principal(await insert_admin(db), Role.ADMIN), booking_id)
    assert admin.viewer_role == "admin"
    await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    with pytest.raises(Conflict) as again:
        await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    assert again.value.code == "booking_confirmed"


async def test_declining_refunds_in_full_and_frees_the_slot(
    db: Database, clock: FakeClock, escrow: FakeEscrow, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    client_id, booking_id = await _book(bookings, db, expert, start)
    with pytest.raises(InvalidInput) as caught:
        await bookings.answers.decline(principal(expert.id, Role.EXPERT), booking_id, "  ")
    assert caught.value.code == "reason_required"

    outcome = await bookings.answers.decline(principal(expert.id, Role.EXPERT), booking_id, EXPERT_REASON)

    booking = outcome.result.view.booking
    assert (booking.status, booking.call_status, booking.status_reason) == (
        BookingStatus.DECLINED,
        CallStatus.CANCELLED,
        EXPERT_REASON,
    )
    assert escrow.refunds == [(booking_id, 10_000, f"decline: {EXPERT_REASON}")]
    assert await _holds(db, booking_id) == {("booking", "expert", False), ("booking", "client", False)}
    assert [e["template"] for e in await _jobs(db, "send_email")][-1] == "booking_declined"
    await _book(bookings, db, expert, start)
    events = await bookings.reads.events(principal(client_id), booking_id)
    assert (events[-1].action, events[-1].reason, events[-1].data) == (
        "decline",
        EXPERT_REASON,
        {"refund_share_bps": 10_000},
    )


@pytest.mark.parametrize(
    ("who", "hours_before", "share"),
    [("client", 30, 10_000), ("client", 10, 2_500), ("expert", 10, 10_000)],
    ids=["client-early", "client-late", "expert-late"],
)
async def test_cancellation_refunds_follow_the_policy(
    db: Database,
    clock: FakeClock,
    escrow: FakeEscrow,
    policy: BookingPolicy,
    expert: BookableExpert,
    who: str,
    hours_before: int,
    share: int,
) -> None:
    late = msgspec.structs.replace(
        policy, refunds=RefundPolicy(late_window=dt.timedelta(hours=24), late_share_bps=2_500)
    )
    bookings = make_service(db, clock, escrow, late)
    start = slot_start(clock.now(), days=3)
    client_id, booking_id = await _book(bookings, db, expert, start)
    await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    clock.current = start - dt.timedelta(hours=hours_before)
    actor = principal(client_id) if who == "client" else principal(expert.id, Role.EXPERT)
    assert (await bookings.reads.get(actor, booking_id)).cancel_refund_bps == share

    outcome = await bookings.cancellations.cancel(actor, booking_id, "Something came up")

    booking = outcome.result.view.booking
    assert booking.status is BookingStatus.CANCELLED
    assert booking.sequence == 1
    assert escrow.refunds == [(booking_id, share, "cancel: Something came up")]
    cancelled = [e for e in await _jobs(db, "send_email") if e["template"] == "booking_cancelled"]
    assert len(cancelled) == 2
    assert all(e["attachments"][0]["content_type"].startswith("text/calendar; method=CANCEL") for e in cancelled)


async def test_a_client_withdrawing_a_request_is_refunded_in_full_and_sends_no_invite(
    db: Database, clock: FakeClock, escrow: FakeEscrow, policy: BookingPolicy, expert: BookableExpert
) -> None:
    strict = msgspec.structs.replace(policy, refunds=RefundPolicy(late_window=dt.timedelta(days=30), late_share_bps=0))
    bookings = make_service(db, clock, escrow, strict)
    client_id, booking_id = await _book(bookings, db, expert, slot_start(clock.now()))
    outcome = await bookings.cancellations.cancel(principal(client_id), booking_id, "Changed my mind")
    assert outcome.result.view.booking.sequence == 0
    assert escrow.refunds == [(booking_id, 10_000, "cancel: Changed my mind")]
    cancelled = [e for e in await _jobs(db, "send_email") if e["template"] == "booking_cancelled"]
    assert [e["attachments"] for e in cancelled] == [[], []]


async def test_a_client_cannot_cancel_once_the_call_started(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    client_id, booking_id = await _book(bookings, db, expert, start)
    await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    clock.current = start + dt.timedelta(minutes=5)
    with pytest.raises(Conflict) as caught:
        await bookings.cancellations.cancel(principal(client_id), booking_id, "Too late")
    assert caught.value.code == "call_started"
    await bookings.cancellations.cancel(principal(expert.id, Role.EXPERT), booking_id, "I cannot join")


async def test_cancelling_mid_call_queues_closing_the_room(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    start = slot_start(clock.now())
    _, live = await _book(bookings, db, expert, start)
    requester, request = await _book(bookings, db, expert, start + dt.timedelta(hours=2))
    await bookings.answers.accept(principal(expert.id, Role.EXPERT), live)
    await bookings.cancellations.cancel(principal(requester), request, "Changed my mind")
    assert await _jobs(db, "calls.close_room") == []

    clock.current = start + dt.timedelta(minutes=5)
    outcome = await bookings.cancellations.cancel(principal(expert.id, Role.EXPERT), live, "I have to leave")

    assert await _jobs(db, "calls.close_room") == [{"room": outcome.result.view.booking.room_name}]


async def test_unanswered_requests_expire_and_are_refunded_once(
    db: Database, clock: FakeClock, escrow: FakeEscrow, bookings: BookingService, expert: BookableExpert
) -> None:
    _, old = await _book(bookings, db, expert, slot_start(clock.now(), days=3))
    clock.advance(hours=12)
    _, recent = await _book(bookings, db, expert, slot_start(clock.now(), days=4))
    clock.advance(hours=12)

    assert await bookings.expiry.expire_unanswered() == 1
    assert await bookings.expiry.expire_unanswered() == 0

    assert escrow.refunds == [(old, 10_000, "expire: The expert did not answer the request in time")]
    async with db.connection() as conn:
        statuses = {row["id"]: row["status"] for row in await conn.fetch("SELECT id, status FROM bookings")}
    assert statuses == {old: "expired", recent: "pending"}
    with pytest.raises(Conflict) as caught:
        await bookings.answers.accept(principal(expert.id, Role.EXPERT), old)
    assert caught.value.code == "booking_expired"


async def test_a_booking_that_cannot_expire_does_not_stop_the_sweep(
    db: Database,
    clock: FakeClock,
    escrow: FakeEscrow,
    bookings: BookingService,
    expert: BookableExpert,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, stuck = await _book(bookings, db, expert, slot_start(clock.now(), days=3))
    _, other = await _book(bookings, db, expert, slot_start(clock.now(), days=4))
    clock.advance(hours=25)
    escrow.refund_errors[stuck] = Conflict("refund_after_release", "The payment was already released")

    assert await bookings.expiry.expire_unanswered() == 1

    async with db.connection() as conn:
        statuses = {row["id"]: row["status"] for row in await conn.fetch("SELECT id, status FROM bookings")}
    assert statuses == {stuck: "pending", other: "expired"}
    assert [record.getMessage() for record in caplog.records if record.levelname == "ERROR"] == [
        f"Booking {stuck} could not be expired; the next sweep tries again"
    ]
    del escrow.refund_errors[stuck]
    assert await bookings.expiry.expire_unanswered() == 1
    assert escrow.refunds == [
        (other, 10_000, "expire: The expert did not answer the request in time"),
        (stuck, 10_000, "expire: The expert did not answer the request in time"),
    ]


async def test_answering_after_the_deadline_is_refused_even_before_the_sweep(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    _, booking_id = await _book(bookings, db, expert, slot_start(clock.now(), days=3))
    clock.advance(hours=24)
    with pytest.raises(Conflict) as caught:
        await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    assert caught.value.code == "answer_deadline_passed"


async def test_unpaid_requests_lapse_and_free_the_slot(
    db: Database, clock: FakeClock, escrow: FakeEscrow, bookings: BookingService, expert: BookableExpert
) -> None:
    escrow.auto_pay = False
    start = slot_start(clock.now())
    _, unpaid = await _book(bookings, db, expert, start)
    _, paid = await _book(bookings, db, expert, start + dt.timedelta(hours=2))
    escrow.pay(paid)
    clock.advance(minutes=29)
    assert await bookings.expiry.expire_unanswered() == 0
    clock.advance(minutes=1)

    assert await bookings.expiry.expire_unanswered() == 1

    assert escrow.refunds == [(unpaid, 10_000, "expire: The payment was not completed in time")]
    async with db.connection() as conn:
        notified = await conn.fetchval("SELECT count(*) FROM notifications WHERE kind = 'booking.expired'")
    assert notified == 0
    await _book(bookings, db, expert, start)


async def test_the_audit_trail_cannot_be_rewritten(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    _, booking_id = await _book(bookings, db, expert, slot_start(clock.now()))
    async with db.connection() as conn:
        for statement in ("UPDATE booking_events SET reason = 'x'", "DELETE FROM booking_events"):
            with pytest.raises(Exception, match="append-only"):
                await conn.execute(statement)
        assert await conn.fetchval("SELECT count(*) FROM booking_events WHERE booking_id = $1", booking_id) == 1


async def test_a_confirmed_booking_advertises_only_actions_it_has_routes_for(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    """Completing a call is ``POST /v1/calls/{id}/end``, not an action on the booking."""
    client_id, booking_id = await _book(bookings, db, expert, slot_start(clock.now()))
    expert_view = await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    client_view = await bookings.reads.get(principal(client_id), booking_id)
    admin_view = await bookings.reads.get(principal(await insert_admin(db), Role.ADMIN), booking_id)
    for details in (expert_view, client_view, admin_view):
        assert BookingAction.COMPLETE not in details.actions
        assert BookingAction.CANCEL in details.actions
