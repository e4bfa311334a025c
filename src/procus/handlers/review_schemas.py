"""Request and response shapes for reviews."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from procus.domain.reviews import EDIT_WINDOW, MAX_REVIEW_TEXT, RatingSummary, Review
from procus.services.trust.reviews import ReviewPage

__all__ = ["RatingSummaryOut", "ReviewCreate", "ReviewOut", "ReviewPageOut", "ReviewReply", "ReviewUpdate"]

Rating = Annotated[int, msgspec.Meta(ge=1, le=5, description="Stars, 1 to 5")]
ReviewText = Annotated[str, msgspec.Meta(max_length=MAX_REVIEW_TEXT)]


class ReviewCreate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    rating: Rating
    text: ReviewText = ""


class ReviewUpdate(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    rating: Rating | msgspec.UnsetType = msgspec.UNSET
    text: ReviewText | msgspec.UnsetType = msgspec.UNSET


class ReviewReply(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REVIEW_TEXT)]


class ReviewOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    booking_id: uuid.UUID
    expert_id: uuid.UUID
    client_name: str
    rating: int
    text: str
    reply: str | None
    replied_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    editable_until: Annotated[dt.datetime, msgspec.Meta(description="The client may change it until then")]
    hidden: bool
    hidden_reason: str | None

    @classmethod
    def of(cls, review: Review) -> ReviewOut:
        return cls(
            id=review.id,
            booking_id=review.booking_id,
            expert_id=review.expert_id,
            client_name=review.client_name,
            rating=review.rating,
            text=review.text,
            reply=review.reply,
            replied_at=review.replied_at,
            created_at=review.created_at,
            updated_at=review.updated_at,
            editable_until=review.created_at + EDIT_WINDOW,
            hidden=review.hidden,
            hidden_reason=review.hidden_reason,
        )


class RatingSummaryOut(msgspec.Struct, frozen=True, kw_only=True):
    average: float | None
    count: int
    distribution: Annotated[dict[str, int], msgspec.Meta(description='Stars ("1".."5") -> number of reviews')]

    @classmethod
    def of(cls, summary: RatingSummary) -> RatingSummaryOut:
        distribution = {str(stars): n for stars, n in sorted(summary.distribution.items())}
        return cls(average=summary.average, count=summary.count, distribution=distribution)


class ReviewPageOut(msgspec.Struct, frozen=True, kw_only=True):
    summary: RatingSummaryOut
    items: list[ReviewOut]
    next_cursor: Annotated[str | None, msgspec.Meta(description="Pass as `cursor` for older reviews; null at the end")]

    @classmethod
    def of(cls, page: ReviewPage) -> ReviewPageOut:
        return cls(
            summary=RatingSummaryOut.of(page.summary),
            items=[ReviewOut.of(review) for review in page.items],
            next_cursor=page.next_cursor,
        )
