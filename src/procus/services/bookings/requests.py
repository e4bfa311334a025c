"""Requesting a booking: re-check the slot, start the payment, then hold the time in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.booking_states import BookingAction
from procus.domain.bookings import Actor, ActorRole, answer_deadline, room_name_for
from procus.domain.errors import Conflict, InvalidInput
from procus.domain.limits import MAX_BOOKING_NOTE_LENGTH
from procus.services.bookings.core import BookingContext, BookingDetails
from procus.services.bookings.status import NewBooking, move_booking
from procus.services.experts.slots import check_slot
from procus.services.idempotency import Outcome, Recorder
from procus.services.ports.escrow import Checkout, Payer
from procus.store import blocks, holds
from procus.store import bookings as booking_store

__all__ = ["BookingCreated", "BookingRequest", "BookingRequests"]

CREATE_SCOPE = "bookings.create"


class BookingRequest(msgspec.Struct, frozen=True, kw_only=True):
    expert_id: uuid.UUID
    area_id: uuid.UUID
    start: dt.datetime
    note: str = ""


class BookingCreated(msgspec.Struct, frozen=True, kw_only=True):
    booking: BookingDetails
    checkout: Checkout


def _validated(request: BookingRequest, principal: Principal) -> BookingRequest:
    if request.start.tzinfo is None or request.start.utcoffset() is None:
        raise InvalidInput("naive_datetime", "start must include a UTC offset", field="start")
    note = request.note.strip()
    if len(note) > MAX_BOOKING_NOTE_LENGTH:
        raise InvalidInput(
            "note_too_long", f"the note may be at most {MAX_BOOKING_NOTE_LENGTH} characters", field="note"
        )
    if request.expert_id == principal.user_id:
        raise InvalidInput("cannot_book_self", "Experts cannot book themselves", field="expert_id")
    return msgspec.structs.replace(request, start=request.start.astimezone(dt.UTC), note=note)


class BookingRequests:
    def __init__(self, context: BookingContext) -> None:
        self._ctx = context

    async def request(
        self, principal: Principal, request: BookingRequest, *, idempotency_key: str | None = None
    ) -> Outcome[BookingCreated]:
        """A client asks for a slot: 201 with the pending booking and where to pay for it.

        Two requests for one slot cannot both succeed: the time is held by the exclusion
        constraint in the transaction that inserts the booking, and a loser gets 409 ``slot_taken``.
        """
        principal.require_role(Role.CLIENT, Role.EXPERT)
        principal.require_verified_email()
        request = _validated(request, principal)

        async def operation(record: Recorder) -> BookingCreated:
            return await self._create(principal, request, record)

        return await self._ctx.idempotency.run(
            user_id=principal.user_id,
            scope=CREATE_SCOPE,
            key=idempotency_key,
            request=request,
            result_type=BookingCreated,
            operation=operation,
        )

    async def _create(self, principal: Principal, request: BookingRequest, record: Recorder) -> BookingCreated:
        ctx = self._ctx
        now = ctx.clock.now()
        async with ctx.db.connection() as conn:
            slot = await check_slot(
                conn, expert_id=request.expert_id, area_id=request.area_id, start=request.start, now=now
            )
        area = slot.area
        booking_id = uuid.uuid4()
        checkout = await ctx.escrow.prepare_checkout(
            booking_id=booking_id, payer_email=principal.email, price=area.price
        )
        new = NewBooking(
            id=booking_id,
            call_id=uuid.uuid4(),
            client_id=principal.user_id,
            expert_id=request.expert_id,
            area_id=area.id,
            starts_at=slot.start,
            duration_minutes=area.duration_minutes,
            blocked=slot.blocked,
            price=area.price,
            platform_fee_bps=ctx.policy.platform_fee_bps,
            room_name=room_name_for(booking_id),
            note=request.note,
            expires_at=answer_deadline(now, slot.start, ctx.policy.answer_within),
        )
        async with ctx.db.transaction() as tx:
            data = {"start": slot.start.isoformat(), "checkout_reference": checkout.reference}
            client = Actor(ActorRole.CLIENT, principal.user_id)
            await move_booking(tx, new, BookingAction.REQUEST, client, now, data=data)
            if await blocks.blocked_between(tx, principal.user_id, request.expert_id):
                # After the insert, whose foreign keys lock the users' rows against a block (store.blocks).
                raise Conflict("slot_unavailable", "That time is not one of the expert's open slots")
            payer = Payer(booking_id=booking_id, client_id=new.client_id, expert_id=new.expert_id, price=new.price)
            await ctx.escrow.record_pending(tx, payer, checkout)
            view = await booking_store.get_view(tx, booking_id)
            created = BookingCreated(booking=ctx.details(view, ActorRole.CLIENT, now), checkout=checkout)
            await record(tx, created)
            # Last, so rivals for this expert queue on the hold's lock only for the inserts and the commit.
            await holds.hold_time(
                tx,
                booking_id=booking_id,
                kind="booking",
                expert_id=request.expert_id,
                client_id=principal.user_id,
                blocked=slot.blocked,
                call=(slot.start, slot.end),
            )
        return created
