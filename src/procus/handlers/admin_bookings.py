"""/v1/admin/bookings: every booking with filters, one booking's full timeline, force-cancel (audited)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, post
from litestar.params import Parameter

from procus.domain.admin_audit import AdminActor
from procus.domain.admin_lists import BookingSearch
from procus.domain.attendance import AttendanceEvent
from procus.domain.bookings import BookingStatus
from procus.domain.cancellation import FULL_REFUND_BPS
from procus.domain.cursors import TimeCursor
from procus.domain.limits import MAX_REASON_LENGTH
from procus.domain.payments import PaymentEvent
from procus.handlers.admin_schemas import AdminBookingOut, AdminLimit, AdminPaymentOut, WindowEnd, WindowStart
from procus.handlers.booking_schemas import BookingEventOut
from procus.handlers.paging import PageCursor, page_out
from procus.handlers.payment_schemas import RefundOut
from procus.services.admin.bookings import AdminBookingService

__all__ = ["AdminBookingsController"]


class AdminBookingPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AdminBookingOut]
    next_cursor: str | None


class PaymentEventOut(msgspec.Struct, frozen=True, kw_only=True):
    refund_id: uuid.UUID | None
    from_status: str | None
    to_status: str
    reason: str
    detail: dict[str, Any]
    at: dt.datetime

    @classmethod
    def of(cls, event: PaymentEvent) -> PaymentEventOut:
        return cls(
            refund_id=event.refund_id,
            from_status=event.from_status,
            to_status=event.to_status,
            reason=event.reason,
            detail=event.detail,
            at=event.created_at,
        )


class AttendanceOut(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    user_id: Annotated[str | None, msgspec.Meta(description="Who joined or left; null when the room finished")]
    session: str | None
    at: dt.datetime
    joined_at: dt.datetime | None

    @classmethod
    def of(cls, event: AttendanceEvent) -> AttendanceOut:
        return cls(
            kind=event.kind.value,
            user_id=event.identity,
            session=event.session,
            at=event.occurred_at,
            joined_at=event.joined_at,
        )


class BookingTimelineOut(msgspec.Struct, frozen=True, kw_only=True):
    booking: AdminBookingOut
    events: list[BookingEventOut]
    payment: AdminPaymentOut | None
    payment_events: list[PaymentEventOut]
    refunds: list[RefundOut]
    attendance: list[AttendanceOut]
    notes_written_at: Annotated[
        dt.datetime | None, msgspec.Meta(description="When the expert last wrote private notes (their text is private)")
    ]
    call_ended_at: dt.datetime | None
    ended_early: Annotated[bool, msgspec.Meta(description="The call was ended before half its scheduled duration")]


class ForceCancel(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_LENGTH)]
    refund_bps: Annotated[
        int, msgspec.Meta(ge=0, le=FULL_REFUND_BPS, description="Share of the price refunded; 10000 = all")
    ] = FULL_REFUND_BPS


class AdminBookingsController(Controller):
    path = "/v1/admin/bookings"
    tags = ["admin"]

    @get(operation_id="listBookingsForAdmin")
    async def list_bookings(
        self,
        admin_bookings: AdminBookingService,
        admin_actor: AdminActor,
        status: Annotated[list[BookingStatus] | None, Parameter(description="Repeat to allow several")] = None,
        expert_id: uuid.UUID | None = None,
        client_id: uuid.UUID | None = None,
        starts_from: WindowStart = None,
        starts_to: WindowEnd = None,
        limit: AdminLimit = 50,
        cursor: PageCursor = None,
    ) -> AdminBookingPageOut:
        """Bookings by call start, latest first; `from` and `to` bound the call's start."""
        search = BookingSearch(
            statuses=tuple(status or ()),
            expert_id=expert_id,
            client_id=client_id,
            starts_from=starts_from,
            starts_to=starts_to,
            after=TimeCursor.decode_optional(cursor),
            limit=limit,
        )
        page = await admin_bookings.search(admin_actor, search)
        return page_out(AdminBookingPageOut, page, AdminBookingOut.of)

    @get("/{booking_id:uuid}/timeline", operation_id="getBookingTimeline")
    async def timeline(
        self, booking_id: uuid.UUID, admin_bookings: AdminBookingService, admin_actor: AdminActor
    ) -> BookingTimelineOut:
        """Everything that happened to one booking: its events, its money, who joined the call, notes' existence."""
        found = await admin_bookings.timeline(admin_actor, booking_id)
        return BookingTimelineOut(
            booking=AdminBookingOut.of(found.view),
            events=[BookingEventOut.of(event) for event in found.events],
            payment=AdminPaymentOut.of(found.payment) if found.payment else None,
            payment_events=[PaymentEventOut.of(event) for event in found.payment_events],
            refunds=[RefundOut.of(refund) for refund in found.refunds],
            attendance=[AttendanceOut.of(event) for event in found.attendance],
            notes_written_at=found.notes_written_at,
            call_ended_at=found.call_ended_at,
            ended_early=found.ended_early,
        )

    @post("/{booking_id:uuid}/cancel", operation_id="forceCancelBooking", status_code=200)
    async def force_cancel(
        self, booking_id: uuid.UUID, data: ForceCancel, admin_bookings: AdminBookingService, admin_actor: AdminActor
    ) -> AdminBookingOut:
        """Cancel a booking that is still on; the client gets `refund_bps` of the price back, the expert the rest."""
        view = await admin_bookings.force_cancel(admin_actor, booking_id, data.reason, data.refund_bps)
        return AdminBookingOut.of(view)
