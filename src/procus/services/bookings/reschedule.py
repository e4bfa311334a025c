"""Moving a booking: the expert proposes a new time, the client takes it or leaves it.

A proposal is checked like a new booking and *holds* its new time (alongside the current one) until
the client answers, so accepting it can never collide: the call moves onto time already reserved.
Declining it cancels the booking with a full refund.
"""

from __future__ import annotations

import datetime as dt
import uuid

from procus.domain.accounts import Principal
from procus.domain.booking_states import BookingAction
from procus.domain.bookings import BookingStatus, answer_deadline
from procus.domain.errors import InvalidInput
from procus.services.bookings.closing import BookingClosing, validate_reason
from procus.services.bookings.core import BookingContext, BookingDetails
from procus.services.bookings.status import Proposal, move_booking
from procus.services.experts.slots import check_slot
from procus.services.idempotency import Outcome
from procus.store import bookings as booking_store
from procus.store import holds

__all__ = ["BookingReschedules"]


class BookingReschedules:
    def __init__(self, context: BookingContext, closing: BookingClosing) -> None:
        self._ctx = context
        self._closing = closing

    async def propose(
        self, principal: Principal, booking_id: uuid.UUID, start: dt.datetime, reason: str | None = None
    ) -> BookingDetails:
        """The expert offers another time; a newer proposal replaces an unanswered one."""
        if start.tzinfo is None or start.utcoffset() is None:
            raise InvalidInput("naive_datetime", "start must include a UTC offset", field="start")
        start = start.astimezone(dt.UTC)
        reason = validate_reason(reason, required=False)
        ctx = self._ctx
        now = ctx.clock.now()
        async with ctx.db.transaction() as tx:
            booking, actor = await ctx.locked(tx, principal, booking_id, BookingAction.PROPOSE_RESCHEDULE)
            if booking.status is BookingStatus.PENDING:
                ctx.require_answer_in_time(booking, now)
            if start == booking.starts_at:
                raise InvalidInput("same_time", "Propose a time other than the current one", field="start")
            slot = await check_slot(
                tx, expert_id=booking.expert_id, area_id=booking.area_id, start=start, now=now, moving=booking
            )
            await holds.delete_holds(tx, booking.id, "proposal")
            await holds.hold_time(
                tx,
                booking_id=booking.id,
                kind="proposal",
                expert_id=booking.expert_id,
                client_id=booking.client_id,
                blocked=slot.blocked,
                call=(slot.start, slot.end),
            )
            expires_at = answer_deadline(now, min(booking.starts_at, slot.start), ctx.policy.answer_within)
            proposal = Proposal(start=slot.start, end=slot.end, expires_at=expires_at)
            data = {"proposed_start": slot.start.isoformat(), "current_start": booking.starts_at.isoformat()}
            action = BookingAction.PROPOSE_RESCHEDULE
            await move_booking(tx, booking, action, actor, now, reason=reason, data=data, proposal=proposal)
            view = await booking_store.get_view(tx, booking.id)
            await ctx.notices.reschedule_proposed(tx, view, reason, now)
        return ctx.details(view, actor.role, now)

    async def accept(self, principal: Principal, booking_id: uuid.UUID) -> BookingDetails:
        """The client takes the proposed time: the call moves onto it and the booking is confirmed."""
        ctx = self._ctx
        now = ctx.clock.now()
        async with ctx.db.transaction() as tx:
            booking, actor = await ctx.locked(tx, principal, booking_id, BookingAction.ACCEPT_RESCHEDULE)
            ctx.require_answer_in_time(booking, now)
            await ctx.require_paid(tx, booking)
            if booking.proposed_start is None or booking.proposed_end is None:  # the schema forbids it
                raise InvalidInput("no_proposal", "There is no proposed time to accept")
            blocked = await holds.held_range(tx, booking.id, "proposal", "expert")
            await booking_store.move_call(
                tx,
                booking.call_id,
                starts_at=booking.proposed_start,
                ends_at=booking.proposed_end,
                blocked=blocked,
                now=now,
            )
            await holds.promote_proposal(tx, booking.id)
            data = {"from_start": booking.starts_at.isoformat(), "to_start": booking.proposed_start.isoformat()}
            await move_booking(
                tx, booking, BookingAction.ACCEPT_RESCHEDULE, actor, now, data=data, confirm=True, bump_sequence=True
            )
            view = await booking_store.get_view(tx, booking.id)
            if booking.has_invite:
                await ctx.notices.rescheduled(tx, view, booking.starts_at, now)
            else:
                await ctx.notices.confirmed(tx, view, now)
        return ctx.details(view, actor.role, now)

    async def decline(
        self, principal: Principal, booking_id: uuid.UUID, reason: str | None, *, idempotency_key: str | None = None
    ) -> Outcome[BookingDetails]:
        """The client refuses the expert's new time: the booking is cancelled and refunded in full."""
        return await self._closing.end_by(
            principal,
            BookingAction.DECLINE_RESCHEDULE,
            booking_id,
            reason,
            reason_required=False,
            idempotency_key=idempotency_key,
        )
