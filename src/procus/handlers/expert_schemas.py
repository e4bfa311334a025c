"""Response shapes for experts, their areas and the marketplace listing. Never an email address."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Annotated

import msgspec

from procus.domain.experts import ApprovalStatus, ExpertiseArea, ExpertProfile
from procus.domain.marketplace import ExpertCandidate, FreeStart
from procus.domain.money import Money

__all__ = ["AreaOut", "ExpertCardOut", "ExpertProfileOut", "MoneyOut", "PublicAreaOut", "PublicExpertOut"]


class MoneyOut(msgspec.Struct, frozen=True):
    amount: Annotated[int, msgspec.Meta(description="Integer minor units (kobo, cents)")]
    currency: Annotated[str, msgspec.Meta(description="ISO 4217 code", examples=["NGN"])]

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        return cls(money.amount, money.currency)


def _rating(average: decimal.Decimal | None) -> float | None:
    return None if average is None else float(average)


class PublicAreaOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    title: str
    description: str
    category: str
    price: MoneyOut
    duration_minutes: int

    @classmethod
    def of(cls, area: ExpertiseArea) -> PublicAreaOut:
        return msgspec.convert(area, cls, from_attributes=True)


class AreaOut(msgspec.Struct, frozen=True, kw_only=True):
    """The expert's own view of an area, inactive ones included."""

    id: uuid.UUID
    title: str
    description: str
    category: str
    price: MoneyOut
    duration_minutes: int
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, area: ExpertiseArea) -> AreaOut:
        return msgspec.convert(area, cls, from_attributes=True)


class ExpertProfileOut(msgspec.Struct, frozen=True, kw_only=True):
    """The expert's own (or an admin's) view of a profile."""

    id: uuid.UUID
    full_name: str
    headline: str
    bio: str
    languages: list[str]
    time_zone: str
    published: bool
    approval: ApprovalStatus
    approval_reason: str
    approval_decided_at: dt.datetime | None
    listed: Annotated[bool, msgspec.Meta(description="Published and approved: the marketplace shows it")]
    rating_average: float | None
    review_count: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, profile: ExpertProfile) -> ExpertProfileOut:
        return cls(
            id=profile.user_id,
            full_name=profile.full_name,
            headline=profile.headline,
            bio=profile.bio,
            languages=list(profile.languages),
            time_zone=profile.time_zone,
            published=profile.published,
            approval=profile.approval,
            approval_reason=profile.approval_reason,
            approval_decided_at=profile.approval_decided_at,
            listed=profile.listed,
            rating_average=_rating(profile.rating_average),
            review_count=profile.review_count,
            created_at=profile.created_at,
            updated_at=profile.updated_at,
        )


class PublicExpertOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    full_name: str
    headline: str
    bio: str
    languages: list[str]
    time_zone: str
    rating_average: float | None
    review_count: int
    areas: list[PublicAreaOut]
    avatar_url: Annotated[str | None, msgspec.Meta(description="Short-lived URL of the expert's picture")] = None
    can_book: Annotated[
        bool, msgspec.Meta(description="False when the signed-in caller may not book this expert (a block)")
    ] = True

    @classmethod
    def of(
        cls,
        profile: ExpertProfile,
        areas: list[ExpertiseArea],
        *,
        avatar_url: str | None = None,
        can_book: bool = True,
    ) -> PublicExpertOut:
        return cls(
            id=profile.user_id,
            full_name=profile.full_name,
            headline=profile.headline,
            bio=profile.bio,
            languages=list(profile.languages),
            time_zone=profile.time_zone,
            rating_average=_rating(profile.rating_average),
            review_count=profile.review_count,
            areas=[PublicAreaOut.of(area) for area in areas],
            avatar_url=avatar_url,
            can_book=can_book,
        )


class FreeStartOut(msgspec.Struct, frozen=True, kw_only=True):
    start: Annotated[dt.datetime, msgspec.Meta(description="A free start, RFC 3339 UTC")]
    area_id: Annotated[
        uuid.UUID, msgspec.Meta(description="An area to book it in: the cheapest matching one of the shortest call")
    ]

    @classmethod
    def of(cls, free: FreeStart) -> FreeStartOut:
        return cls(start=free.start, area_id=free.area_id)


class ExpertCardOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    full_name: str
    headline: str
    languages: list[str]
    time_zone: str
    categories: list[str]
    from_price: Annotated[MoneyOut, msgspec.Meta(description="The cheapest active area matching the filters")]
    rating_average: float | None
    review_count: int
    next_available_at: Annotated[
        dt.datetime | None,
        msgspec.Meta(description="Earliest slot of the shortest matching area within the scan window, if any"),
    ]
    first_slot_between: Annotated[
        FreeStartOut | None,
        msgspec.Meta(description="With free_from and free_to: the earliest slot in [free_from, free_to)"),
    ] = None
    avatar_url: Annotated[str | None, msgspec.Meta(description="Short-lived URL of the expert's picture")] = None

    @classmethod
    def of(cls, card: ExpertCandidate, *, avatar_url: str | None = None) -> ExpertCardOut:
        return cls(
            id=card.id,
            full_name=card.full_name,
            headline=card.headline,
            languages=list(card.languages),
            time_zone=card.time_zone,
            categories=list(card.categories),
            from_price=MoneyOut.of(card.from_price),
            rating_average=_rating(card.rating_average),
            review_count=card.review_count,
            next_available_at=card.next_free_slot,
            first_slot_between=FreeStartOut.of(card.first_free_between) if card.first_free_between else None,
            avatar_url=avatar_url,
        )
