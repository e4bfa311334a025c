"""Experts as the marketplace sees them: profile, approval, areas of expertise, and the rules on each."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid

import msgspec

from procus.domain.availability import Availability, BusyInterval
from procus.domain.errors import Conflict, InvalidInput
from procus.domain.money import Money

__all__ = [
    "MAX_ACTIVE_AREAS",
    "ApprovalStatus",
    "Category",
    "ExpertProfile",
    "ExpertiseArea",
    "SlotInputs",
    "require_publishable",
    "validate_approval_reason",
    "validate_area_description",
    "validate_area_title",
    "validate_bio",
    "validate_duration",
    "validate_headline",
    "validate_price",
]

MAX_ACTIVE_AREAS = 20
MAX_HEADLINE = 160
MAX_BIO = 5000
MAX_AREA_TITLE = 120
MAX_AREA_DESCRIPTION = 4000
MAX_APPROVAL_REASON = 1000
MIN_DURATION = 15
MAX_DURATION = 240
DURATION_UNIT = 15
MAX_PRICE_MINOR_UNITS = 10**12


class ApprovalStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Category(msgspec.Struct, frozen=True):
    slug: str
    name: str


class ExpertProfile(msgspec.Struct, frozen=True, kw_only=True):
    """An expert's profile. ``time_zone`` is the zone their weekly hours are written in."""

    user_id: uuid.UUID
    full_name: str
    headline: str
    bio: str
    languages: tuple[str, ...]
    time_zone: str
    published: bool
    approval: ApprovalStatus
    approval_reason: str
    approval_decided_at: dt.datetime | None
    rating_average: decimal.Decimal | None
    review_count: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def listed(self) -> bool:
        """Whether the public marketplace shows this expert (their account must also be active)."""
        return self.published and self.approval is ApprovalStatus.APPROVED


class ExpertiseArea(msgspec.Struct, frozen=True, kw_only=True):
    """One bookable offer: a topic at a price for a call of a fixed length. Owned by one expert."""

    id: uuid.UUID
    expert_id: uuid.UUID
    title: str
    description: str
    category: str
    price: Money
    duration_minutes: int
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class SlotInputs(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the slot engine needs for one area over one window, as the store loaded it.

    ``expert_listed`` is false when the profile is unpublished, not approved or the account is
    suspended; callers decide what that means (the public slot list refuses such experts).
    """

    area: ExpertiseArea
    availability: Availability
    busy: tuple[BusyInterval, ...]
    expert_listed: bool


def _text(value: str, *, field: str, code: str, maximum: int, minimum: int = 0) -> str:
    value = value.strip()
    if not minimum <= len(value) <= maximum:
        raise InvalidInput(code, f"{field} must be {minimum} to {maximum} characters", field=field)
    return value


def validate_headline(headline: str) -> str:
    return _text(headline, field="headline", code="invalid_headline", maximum=MAX_HEADLINE)


def validate_bio(bio: str) -> str:
    return _text(bio, field="bio", code="invalid_bio", maximum=MAX_BIO)


def validate_area_title(title: str) -> str:
    return " ".join(_text(title, field="title", code="invalid_title", minimum=1, maximum=MAX_AREA_TITLE).split())


def validate_area_description(description: str) -> str:
    return _text(description, field="description", code="invalid_description", maximum=MAX_AREA_DESCRIPTION)


def validate_approval_reason(reason: str) -> str:
    return _text(reason, field="reason", code="invalid_reason", maximum=MAX_APPROVAL_REASON)


def validate_duration(minutes: int) -> int:
    if not MIN_DURATION <= minutes <= MAX_DURATION or minutes % DURATION_UNIT:
        raise InvalidInput(
            "invalid_duration",
            f"duration must be a multiple of {DURATION_UNIT} minutes from {MIN_DURATION} to {MAX_DURATION}",
            field="duration_minutes",
        )
    return minutes


def validate_price(amount: int, currency: str) -> Money:
    """A price in minor units; free calls are not offered (the booking flow always takes payment)."""
    if not 0 < amount <= MAX_PRICE_MINOR_UNITS:
        raise InvalidInput("invalid_price", "price must be a positive amount in minor units", field="price.amount")
    try:
        return Money(amount, currency)
    except InvalidInput as error:
        raise InvalidInput(error.code, error.detail, field="price.currency") from None


def require_publishable(profile: ExpertProfile) -> None:
    if not profile.headline:
        raise Conflict("profile_incomplete", "Add a headline before publishing your profile", field="headline")
