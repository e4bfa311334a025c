"""Request and response shapes shared by the admin controllers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar.params import Parameter

from procus.domain.accounts import Role, User
from procus.domain.admin_lists import MAX_ADMIN_PAGE
from procus.domain.bookings import BookingStatus, BookingView, CallStatus
from procus.domain.limits import MAX_REASON_LENGTH
from procus.domain.payment_states import PaymentStatus
from procus.domain.payments import Payment
from procus.handlers.booking_schemas import AreaRef, PartyOut, PriceOut

__all__ = [
    "AdminBookingOut",
    "AdminLimit",
    "AdminPaymentOut",
    "AdminUserOut",
    "OptionalAdminReason",
    "RequiredReason",
    "WindowEnd",
    "WindowStart",
]

ReasonText = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_LENGTH, description="Kept in the audit")]

AdminLimit = Annotated[int, Parameter(ge=1, le=MAX_ADMIN_PAGE)]
"""How many rows an admin list answers with (50 unless asked)."""
WindowStart = Annotated[dt.datetime | None, Parameter(query="from", description="Inclusive, RFC 3339")]
WindowEnd = Annotated[dt.datetime | None, Parameter(query="to", description="Exclusive, RFC 3339")]


class RequiredReason(msgspec.Struct, forbid_unknown_fields=True):
    reason: ReasonText


class OptionalAdminReason(msgspec.Struct, forbid_unknown_fields=True):
    reason: ReasonText | None = None


class AdminUserOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    active: bool
    email_verified: bool
    time_zone: str
    locale: str
    created_at: dt.datetime

    @classmethod
    def of(cls, user: User) -> AdminUserOut:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            role=user.role,
            active=user.is_active,
            email_verified=user.email_verified,
            time_zone=user.time_zone,
            locale=user.locale,
            created_at=user.created_at,
        )


class AdminBookingOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    status: BookingStatus
    status_reason: str | None
    call_status: CallStatus
    client: PartyOut
    expert: PartyOut
    area: AreaRef
    start: dt.datetime
    end: dt.datetime
    price: PriceOut
    created_at: dt.datetime

    @classmethod
    def of(cls, view: BookingView) -> AdminBookingOut:
        booking = view.booking
        return cls(
            id=booking.id,
            status=booking.status,
            status_reason=booking.status_reason,
            call_status=booking.call_status,
            client=PartyOut.of(view.client),
            expert=PartyOut.of(view.expert),
            area=AreaRef(id=booking.area_id, title=view.area_title),
            start=booking.starts_at,
            end=booking.ends_at,
            price=PriceOut(amount=booking.price.amount, currency=booking.price.currency),
            created_at=booking.created_at,
        )


class AdminPaymentOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    booking_id: uuid.UUID
    reference: str
    client_id: uuid.UUID
    expert_id: uuid.UUID
    status: PaymentStatus
    amount: int
    currency: str
    received_amount: int | None
    refunded_amount: int
    expert_amount: int
    fee_amount: int
    paid_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, payment: Payment) -> AdminPaymentOut:
        return msgspec.convert(payment, cls, from_attributes=True)
