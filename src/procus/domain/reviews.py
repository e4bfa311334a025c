"""Reviews: what a client may say about a completed call, and when.

The rules, in one place: only the booking's client, only after the call completed, within
:data:`REVIEW_WINDOW` of the call's end; one review per booking; the client may change it within
:data:`EDIT_WINDOW` of writing it; the expert may answer once. Hidden reviews (an admin's decision)
leave the public list and the averages.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.bookings import BookingStatus
from procus.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied

__all__ = [
    "EDIT_WINDOW",
    "MAX_REVIEW_TEXT",
    "REVIEW_WINDOW",
    "RatingSummary",
    "Review",
    "ReviewableBooking",
    "check_may_edit",
    "check_may_reply",
    "check_may_review",
    "validate_rating",
    "validate_text",
]

REVIEW_WINDOW = dt.timedelta(days=30)
EDIT_WINDOW = dt.timedelta(hours=48)
MAX_REVIEW_TEXT = 2000


class Review(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    booking_id: uuid.UUID
    expert_id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    rating: int
    text: str
    reply: str | None
    replied_at: dt.datetime | None
    hidden_at: dt.datetime | None
    hidden_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class ReviewableBooking(msgspec.Struct, frozen=True, kw_only=True):
    """What deciding on a review needs to know about its booking."""

    booking_id: uuid.UUID
    client_id: uuid.UUID
    expert_id: uuid.UUID
    status: BookingStatus
    call_ended_at: dt.datetime
    """When the call ended, or was scheduled to end if no one ended it."""


class RatingSummary(msgspec.Struct, frozen=True, kw_only=True):
    """An expert's visible reviews in figures: average (two decimals), count, and count per star."""

    average: float | None
    count: int
    distribution: dict[int, int]
    """Stars (1..5) -> visible reviews with that rating; every star is present."""


def validate_rating(rating: int) -> int:
    if not 1 <= rating <= 5:
        raise InvalidInput("invalid_rating", "rating must be a whole number from 1 to 5", field="rating")
    return rating


def validate_text(text: str | None, *, field: str = "text") -> str:
    cleaned = (text or "").strip()
    if len(cleaned) > MAX_REVIEW_TEXT:
        raise InvalidInput("text_too_long", f"at most {MAX_REVIEW_TEXT} characters", field=field)
    return cleaned


def check_may_review(booking: ReviewableBooking, client_id: uuid.UUID, now: dt.datetime) -> None:
    """Raise unless ``client_id`` may review ``booking`` at ``now``."""
    if booking.client_id != client_id:
        if booking.expert_id == client_id:
            raise PermissionDenied("only_client_reviews", "Only the booking's client can review it")
        raise NotFound.no_such("booking")
    if booking.status is not BookingStatus.COMPLETED:
        raise Conflict(
            "booking_not_completed", "Only a completed call can be reviewed", current_status=booking.status.value
        )
    if now > booking.call_ended_at + REVIEW_WINDOW:
        raise Conflict("review_window_closed", "Reviews can be left up to 30 days after the call")


def check_may_edit(review: Review, client_id: uuid.UUID, now: dt.datetime) -> None:
    if review.client_id != client_id:
        raise NotFound.no_such("review")
    if review.hidden:
        raise Conflict("review_hidden", "This review was hidden by the platform and cannot be changed")
    if now > review.created_at + EDIT_WINDOW:
        raise Conflict("review_edit_window_closed", "A review can be changed for 48 hours after it was written")


def check_may_reply(review: Review, expert_id: uuid.UUID) -> None:
    if review.expert_id != expert_id:
        raise NotFound.no_such("review")
    if review.hidden:
        raise Conflict("review_hidden", "This review was hidden by the platform")
    if review.reply is not None:
        raise Conflict("review_already_replied", "You have already replied to this review")
