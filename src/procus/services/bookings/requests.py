"""Requesting a booking: re-check the slot, start the payment, then hold the time in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.bookings import Actor, ActorRole, BookingStatus, answer_deadline, room_name_for
from procus.domain.errors import Conflict, InvalidInput
from procus.services.bookings.core import BookingCore, BookingDetails
from procus.services.idempotency import Outcome, Recorder
from procus.services.ports.escrow import Checkout
from procus.store import blocks, holds
from procus.store import bookings as booking_store

__all__ = ["MAX_NOTE_LENGTH", "BookingCreated", "BookingRequest", "BookingRequests"]

MAX_NOTE_LENGTH = 2000
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
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput("note_too_long", f"the note may be at most {MAX_NOTE_LENGTH} characters", field="note")
    if request.expert_id == principal.user_id:
        raise InvalidInput("cannot_book_self", "Experts cannot book themselves", field="expert_id")
    return msgspec.structs.replace(request, start=request.start.astimezone(dt.UTC), note=note)


class BookingRequests(BookingCore):
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

        return await self._idempotency.run(
            user_id=principal.user_id,
            scope=CREATE_SCOPE,
            key=idempotency_key,
            request=request,
            result_type=BookingCreated,
            operation=operation,
        )

    async def _create(self, principal: Principal, request: BookingRequest, record: Recorder) -> BookingCreated:
        now = self._clock.now()
        async with self._db.connection() as conn:
            slot, area = await self._check_slot(
                conn, expert_id=request.expert_id, area_id=request.area_id, start=request.start, now=now
            )
        booking_id, call_id = uuid.uuid4(), uuid.uuid4()
        checkout = await self._escrow.prepare_checkout(
            booking_id=booking_id, payer_email=principal.email, price=area.price
        )
        async with self._db.transaction() as tx:
            await booking_store.insert_booking(
                tx,
                booking_id=booking_id,
                call_id=call_id,
                client_id=principal.user_id,
                expert_id=request.expert_id,
                area_id=area.id,
                starts_at=slot.start,
                duration_minutes=area.duration_minutes,
                blocked=slot.blocked,
                price=area.price,
                platform_fee_bps=self._policy.platform_fee_bps,
                room_name=room_name_for(booking_id),
                note=request.note,
                expires_at=answer_deadline(now, slot.start, self._policy.answer_within),
                now=now,
            )
            if await blocks.blocked_between(tx, principal.user_id, request.expert_id):
                # After the insert, whose foreign keys lock the users' rows against a block (store.blocks).
                raise Conflict("slot_unavailable", "That time is not one of the expert's open slots")
            await self._log(
                tx,
                booking_id,
                Actor(ActorRole.CLIENT, principal.user_id),
                "request",
                None,
                BookingStatus.PENDING,
                reason=None,
                now=now,
                data={"start": slot.start.isoformat(), "checkout_reference": checkout.reference},
            )
            await self._escrow.record_pending(tx, booking_id=booking_id, checkout=checkout, price=area.price)
            view = await booking_store.get_view(tx, booking_id)
            created = BookingCreated(booking=self._details(view, ActorRole.CLIENT, now), checkout=checkout)
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
