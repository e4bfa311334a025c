"""Bookings nobody answered in time: requests and proposals past their deadline, and requests never paid."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from procus.domain.booking_states import BookingAction
from procus.domain.bookings import Actor, ActorRole, BookingStatus
from procus.domain.cancellation import FULL_REFUND_BPS
from procus.domain.errors import DomainError
from procus.services.bookings.closing import BookingClosing
from procus.services.bookings.core import BookingContext
from procus.store import bookings as booking_store

__all__ = ["BookingExpiry"]

log = logging.getLogger(__name__)
_SYSTEM = Actor(ActorRole.SYSTEM)
_NO_ANSWER = "The expert did not answer the request in time"
_PROPOSAL_UNANSWERED = "The new time was not answered in time"
_UNPAID = "The payment was not completed in time"


class BookingExpiry:
    def __init__(self, context: BookingContext, closing: BookingClosing) -> None:
        self._ctx = context
        self._closing = closing

    async def expire_unanswered(self, now: dt.datetime | None = None) -> int:
        """Expire requests and proposals left unanswered past their deadline, and requests never paid.

        Each is refunded in full (an unpaid one just has its pending payment cancelled). Safe to run
        repeatedly and from several workers: each booking is re-checked under its row lock, in its own
        transaction. One that cannot be expired (a domain error) is logged and left for the next sweep.
        """
        ctx = self._ctx
        now = now or ctx.clock.now()
        expired = 0
        async with ctx.db.connection() as conn:
            overdue = await booking_store.pending_past_deadline(conn, now)
            unpaid = await booking_store.unconfirmed_created_by(conn, now - ctx.policy.unpaid_within)
        due = [(booking_id, False) for booking_id in overdue] + [(booking_id, True) for booking_id in unpaid]
        for booking_id, unpaid_only in due:
            try:
                expired += await self._expire(booking_id, now, unpaid_only=unpaid_only)
            except DomainError:
                log.exception("Booking %s could not be expired; the next sweep tries again", booking_id)
        return expired

    async def _expire(self, booking_id: uuid.UUID, now: dt.datetime, *, unpaid_only: bool) -> int:
        ctx = self._ctx
        async with ctx.db.transaction() as tx:
            booking = await booking_store.lock_booking(tx, booking_id)
            if booking.status not in (BookingStatus.PENDING, BookingStatus.RESCHEDULE_PROPOSED):
                return 0
            if unpaid_only:
                if booking.confirmed_at is not None or booking.created_at > now - ctx.policy.unpaid_within:
                    return 0
                state = await ctx.escrow.state(tx, booking.id)
                if state is not None and state.held:
                    return 0
                reason = _UNPAID
            elif booking.expires_at <= now:
                reason = _NO_ANSWER if booking.status is BookingStatus.PENDING else _PROPOSAL_UNANSWERED
            else:
                return 0
            await self._closing.close(
                tx, booking, _SYSTEM, BookingAction.EXPIRE, reason, FULL_REFUND_BPS, now, announce=not unpaid_only
            )
        return 1
