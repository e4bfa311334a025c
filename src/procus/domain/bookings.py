"""Bookings and their calls: who meets whom, when, for how much, and what happened to it."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import msgspec

from procus.domain.money import Money
from procus.domain.payment_states import PaymentStatus

__all__ = [
    "ACTIVE_STATUSES",
    "CLOSED_BY_CANCELLATION",
    "Actor",
    "ActorRole",
    "Booking",
    "BookingEvent",
    "BookingStatus",
    "BookingView",
    "CallStatus",
    "Party",
    "answer_deadline",
    "participant_role",
    "room_name_for",
]


class BookingStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    RESCHEDULE_PROPOSED = "reschedule_proposed"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    EXPIRED = "expired"
    COMPLETED = "completed"
    NO_SHOW_CLIENT = "no_show_client"
    NO_SHOW_EXPERT = "no_show_expert"
    NO_SHOW_BOTH = "no_show_both"


ACTIVE_STATUSES = frozenset({BookingStatus.PENDING, BookingStatus.CONFIRMED, BookingStatus.RESCHEDULE_PROPOSED})
"""Statuses whose booking holds the time (see the ``time_holds`` table)."""

CLOSED_BY_CANCELLATION = frozenset({BookingStatus.CANCELLED, BookingStatus.DECLINED, BookingStatus.EXPIRED})


class CallStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW_CLIENT = "no_show_client"
    NO_SHOW_EXPERT = "no_show_expert"
    NO_SHOW_BOTH = "no_show_both"


class ActorRole(enum.StrEnum):
    """Who acts on a booking, relative to it: its client, its expert, an admin, or the system."""

    CLIENT = "client"
    EXPERT = "expert"
    ADMIN = "admin"
    SYSTEM = "system"


class Actor(msgspec.Struct, frozen=True):
    role: ActorRole
    user_id: uuid.UUID | None = None


class Booking(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    call_id: uuid.UUID
    client_id: uuid.UUID
    expert_id: uuid.UUID
    area_id: uuid.UUID
    status: BookingStatus
    note: str
    status_reason: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    duration_minutes: int
    blocked_start: dt.datetime
    blocked_end: dt.datetime
    price: Money
    platform_fee_bps: int
    call_status: CallStatus
    room_name: str
    proposed_start: dt.datetime | None
    proposed_end: dt.datetime | None
    sequence: int
    confirmed_at: dt.datetime | None
    expires_at: dt.datetime
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def has_invite(self) -> bool:
        """A calendar event exists from the first confirmation on, also once cancelled."""
        return self.confirmed_at is not None

    def role_of(self, user_id: uuid.UUID) -> ActorRole | None:
        return participant_role(user_id, client_id=self.client_id, expert_id=self.expert_id)


class Party(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    full_name: str
    email: str
    time_zone: str


class BookingView(msgspec.Struct, frozen=True, kw_only=True):
    """A booking with what people need to read it: both participants, the area's title, and how its
    payment stands (None before checkout started)."""

    booking: Booking
    client: Party
    expert: Party
    area_title: str
    payment_status: PaymentStatus | None = None


class BookingEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    booking_id: uuid.UUID
    actor_id: uuid.UUID | None
    actor_role: ActorRole
    action: str
    from_status: BookingStatus | None
    to_status: BookingStatus
    reason: str | None
    data: dict[str, Any]
    at: dt.datetime


def participant_role(user_id: uuid.UUID, *, client_id: uuid.UUID, expert_id: uuid.UUID) -> ActorRole | None:
    """The user's part in a booking (and its call); None for anyone else, admins included."""
    if user_id == client_id:
        return ActorRole.CLIENT
    if user_id == expert_id:
        return ActorRole.EXPERT
    return None


def answer_deadline(now: dt.datetime, starts_at: dt.datetime, answer_within: dt.timedelta) -> dt.datetime:
    """When an unanswered request (or reschedule proposal) expires: after ``answer_within``, never past the start."""
    return min(now + answer_within, starts_at)


def room_name_for(booking_id: uuid.UUID) -> str:
    """The video room is named after the booking."""
    return f"booking-{booking_id}"
