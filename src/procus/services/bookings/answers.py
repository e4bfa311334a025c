"""The expert's answer to a booking request: accept it (once paid), or decline it with a full refund."""

from __future__ import annotations

import uuid

from procus.domain.accounts import Principal
from procus.domain.booking_states import BookingAction
from procus.services.bookings.closing import BookingClosing
from procus.services.bookings.core import BookingContext, BookingDetails
from procus.services.bookings.status import move_booking
from procus.services.idempotency import Outcome
from procus.store import bookings as booking_store

__all__ = ["BookingAnswers"]


class BookingAnswers:
    def __init__(self, context: BookingContext, closing: BookingClosing) -> None:
        self._ctx = context
        self._closing = closing

    async def accept(self, principal: Principal, booking_id: uuid.UUID) -> BookingDetails:
        """The expert confirms a paid request; both get the calendar invite."""
        ctx = self._ctx
        now = ctx.clock.now()
        async with ctx.db.transaction() as tx:
            booking, actor = await ctx.locked(tx, principal, booking_id, BookingAction.ACCEPT)
            ctx.require_answer_in_time(booking, now)
            await ctx.require_paid(tx, booking)
            await move_booking(tx, booking, BookingAction.ACCEPT, actor, now, confirm=True)
            view = await booking_store.get_view(tx, booking.id)
            await ctx.notices.confirmed(tx, view, now)
        return ctx.details(view, actor.role, now)

    async def decline(
        self, principal: Principal, booking_id: uuid.UUID, reason: str | None, *, idempotency_key: str | None = None
    ) -> Outcome[BookingDetails]:
        """The expert turns a request down; the client is refunded in full."""
        return await self._closing.end_by(
            principal, BookingAction.DECLINE, booking_id, reason, reason_required=True, idempotency_key=idempotency_key
        )
