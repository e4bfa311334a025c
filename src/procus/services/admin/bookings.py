"""Admins and bookings: find them, read one's full timeline, force-cancel with a full or partial refund.

The timeline shows what happened from every side (the booking's events, the payment's and refunds'
events, who joined and left the call) and whether the expert wrote notes, never the notes themselves.
A force-cancel goes through the bookings' own cancellation, which settles the money and tells both
parties, with the admin's audit row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.admin_audit import AdminActor, AuditRecord
from procus.domain.admin_lists import BookingSearch
from procus.domain.attendance import AttendanceEvent
from procus.domain.bookings import BookingEvent, BookingView
from procus.domain.cursors import Page, page_of
from procus.domain.disputes import ended_early
from procus.domain.payments import Payment, PaymentEvent, Refund
from procus.domain.reasons import validate_reason
from procus.services.admin.audit import record_admin_action
from procus.services.bookings import BookingService
from procus.services.ports.clock import Clock
from procus.store import attendance, booking_list, call_notes, payments, refunds
from procus.store import bookings as booking_store
from procus.store import calls as call_store
from procus.store.db import Database

__all__ = ["AdminBookingService", "BookingTimeline"]


class BookingTimeline(msgspec.Struct, frozen=True, kw_only=True):
    view: BookingView
    events: list[BookingEvent]
    payment: Payment | None
    payment_events: list[PaymentEvent]
    refunds: list[Refund]
    attendance: list[AttendanceEvent]
    notes_written_at: dt.datetime | None
    """When the expert last wrote private notes on the call; their text is not shown to admins."""
    call_ended_at: dt.datetime | None
    ended_early: bool
    """The call was ended before half its scheduled duration."""


class AdminBookingService:
    def __init__(self, db: Database, clock: Clock, bookings: BookingService) -> None:
        self._db = db
        self._clock = clock
        self._bookings = bookings

    async def search(self, actor: AdminActor, search: BookingSearch) -> Page[BookingView]:
        async with self._db.connection() as conn:
            found = await booking_list.search_views(conn, search)
        return page_of(found, search.limit, lambda view: (view.booking.starts_at, view.booking.id))

    async def timeline(self, actor: AdminActor, booking_id: uuid.UUID) -> BookingTimeline:
        events = await self._bookings.reads.events(actor.principal, booking_id)
        async with self._db.transaction(isolation="repeatable_read") as tx:
            view = await booking_store.get_view(tx, booking_id)
            call = await call_store.get_call(tx, booking_id)
            payment = await payments.find_payment_by_booking(tx, booking_id)
            return BookingTimeline(
                view=view,
                events=events,
                payment=payment,
                payment_events=await payments.list_payment_events(tx, payment.id) if payment else [],
                refunds=await refunds.refunds_of_payment(tx, payment.id) if payment else [],
                attendance=await attendance.list_events(tx, view.booking.call_id),
                notes_written_at=await call_notes.note_written_at(tx, view.booking.call_id),
                call_ended_at=call.ended_at,
                ended_early=ended_early(call.starts_at, view.booking.duration_minutes, call.ended_at),
            )

    async def force_cancel(self, actor: AdminActor, booking_id: uuid.UUID, reason: str, refund_bps: int) -> BookingView:
        """Cancel a booking that is still on, refunding ``refund_bps`` of the price (the rest goes to the expert)."""
        text = validate_reason(reason) or ""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            before = await booking_store.get_booking(tx, booking_id)
            details = await self._bookings.cancellations.cancel_in(
                tx, actor.principal, booking_id, text, share_bps=refund_bps
            )
            after = details.view.booking
            record = AuditRecord(
                action="booking.force_cancel",
                target_type="booking",
                target_id=str(booking_id),
                before={"status": before.status.value},
                after={"status": after.status.value, "refund_bps": refund_bps},
                reason=text,
            )
            await record_admin_action(tx, actor, record, now)
        return details.view
