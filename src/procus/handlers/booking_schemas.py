"""Request bodies and response shapes of /v1/bookings."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec

from procus.domain.booking_states import BookingAction
from procus.domain.bookings import ActorRole, BookingEvent, BookingStatus, CallStatus, Party
from procus.domain.limits import MAX_BOOKING_NOTE_LENGTH, MAX_REASON_LENGTH
from procus.domain.payment_states import PaymentStatus
from procus.handlers.paging import page_out
from procus.services.bookings import BookingCreated, BookingDetails, BookingPage, BookingPolicy

__all__ = [
    "BookingCreate",
    "BookingCreatedOut",
    "BookingEventOut",
    "BookingOut",
    "BookingPageOut",
    "CancellationPolicyOut",
    "OptionalReason",
    "Reason",
    "RescheduleProposal",
]

_Reason = Annotated[str, msgspec.Meta(max_length=MAX_REASON_LENGTH)]


class BookingCreate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    expert_id: uuid.UUID
    area_id: uuid.UUID
    start: Annotated[dt.datetime, msgspec.Meta(tz=True, description="RFC 3339 instant of a free slot")]
    note: Annotated[
        str, msgspec.Meta(max_length=MAX_BOOKING_NOTE_LENGTH, description="For the expert: what to discuss")
    ] = ""


class Reason(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_LENGTH)]


class OptionalReason(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    reason: _Reason | None = None


class RescheduleProposal(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    start: Annotated[dt.datetime, msgspec.Meta(tz=True)]
    reason: _Reason | None = None


class PartyOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    full_name: str
    time_zone: Annotated[str, msgspec.Meta(description="Their IANA zone, to show the call's time as they see it")]

    @classmethod
    def of(cls, party: Party) -> PartyOut:
        return cls(id=party.id, full_name=party.full_name, time_zone=party.time_zone)


class AreaRef(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    title: str


class PriceOut(msgspec.Struct, frozen=True, kw_only=True):
    amount: int
    currency: str


class BookingOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    status: BookingStatus
    status_reason: str | None
    call_status: CallStatus
    viewer_role: ActorRole
    actions: list[BookingAction]
    """What the viewer may do next."""
    client: PartyOut
    expert: PartyOut
    area: AreaRef
    start: dt.datetime
    end: dt.datetime
    duration_minutes: int
    price: PriceOut
    note: str
    payment_status: Annotated[
        PaymentStatus | None,
        msgspec.Meta(description="held: the client has paid and the money waits in escrow; pending: not paid yet"),
    ]
    proposed_start: dt.datetime | None
    proposed_end: dt.datetime | None
    answer_by: dt.datetime | None
    """While pending or rescheduling: when the request or proposal lapses unanswered."""
    cancel_refund_bps: int | None
    """The share of the price refunded if the viewer cancelled now (10000 = all)."""
    join_opens_at: Annotated[dt.datetime, msgspec.Meta(description="The earliest either person may join the call")]
    join_closes_at: Annotated[
        dt.datetime, msgspec.Meta(description="The end of the grace period after the scheduled end: no joining after")
    ]
    sequence: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, details: BookingDetails) -> BookingOut:
        view = details.view
        booking = view.booking
        awaiting = booking.status in (BookingStatus.PENDING, BookingStatus.RESCHEDULE_PROPOSED)
        return cls(
            id=booking.id,
            status=booking.status,
            status_reason=booking.status_reason,
            call_status=booking.call_status,
            viewer_role=details.viewer_role,
            actions=details.actions,
            client=PartyOut.of(view.client),
            expert=PartyOut.of(view.expert),
            area=AreaRef(id=booking.area_id, title=view.area_title),
            start=booking.starts_at,
            end=booking.ends_at,
            duration_minutes=booking.duration_minutes,
            price=PriceOut(amount=booking.price.amount, currency=booking.price.currency),
            note=booking.note,
            payment_status=view.payment_status,
            proposed_start=booking.proposed_start,
            proposed_end=booking.proposed_end,
            answer_by=booking.expires_at if awaiting else None,
            cancel_refund_bps=details.cancel_refund_bps,
            join_opens_at=details.join_opens_at,
            join_closes_at=details.join_closes_at,
            sequence=booking.sequence,
            created_at=booking.created_at,
            updated_at=booking.updated_at,
        )


class CheckoutOut(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    authorization_url: str


class BookingCreatedOut(msgspec.Struct, frozen=True, kw_only=True):
    booking: BookingOut
    checkout: CheckoutOut
    """Send the client to ``authorization_url`` to pay; the expert hears of the request once paid."""

    @classmethod
    def of(cls, created: BookingCreated) -> BookingCreatedOut:
        checkout = CheckoutOut(
            reference=created.checkout.reference, authorization_url=created.checkout.authorization_url
        )
        return cls(booking=BookingOut.of(created.booking), checkout=checkout)


class BookingPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[BookingOut]
    next_cursor: str | None

    @classmethod
    def of(cls, page: BookingPage) -> BookingPageOut:
        return page_out(cls, page, BookingOut.of)


class BookingEventOut(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    actor_id: uuid.UUID | None
    actor_role: ActorRole
    action: str
    from_status: BookingStatus | None
    to_status: BookingStatus
    reason: str | None
    data: dict[str, Any]
    at: dt.datetime

    @classmethod
    def of(cls, event: BookingEvent) -> BookingEventOut:
        return msgspec.convert(event, cls, from_attributes=True)


class CancellationPolicyOut(msgspec.Struct, frozen=True, kw_only=True):
    """Shown before a client books: cancelling a confirmed booking less than ``late_window_seconds``
    before its start refunds ``late_refund_bps``; otherwise (and always when the expert cancels,
    declines or lets the request lapse) the refund is in full."""

    late_window_seconds: int
    late_refund_bps: int
    full_refund_bps: int = 10_000

    @classmethod
    def of(cls, policy: BookingPolicy) -> CancellationPolicyOut:
        return cls(
            late_window_seconds=int(policy.refunds.late_window.total_seconds()),
            late_refund_bps=policy.refunds.late_share_bps,
        )
