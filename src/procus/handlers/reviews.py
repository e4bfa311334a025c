"""Reviews: a client reviews a completed call, the expert replies, anyone reads an expert's reviews."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.handlers.paging import PageCursor
from procus.handlers.review_schemas import ReviewCreate, ReviewOut, ReviewPageOut, ReviewReply, ReviewUpdate
from procus.services.trust.reviews import MAX_REVIEW_PAGE, ReviewService

__all__ = ["BookingReviewController", "ExpertReviewsController", "ReviewsController"]


class BookingReviewController(Controller):
    path = "/v1/bookings/{booking_id:uuid}/review"
    tags = ["reviews"]

    @post(operation_id="createReview", status_code=201)
    async def create(
        self, booking_id: uuid.UUID, data: ReviewCreate, reviews: ReviewService, principal: Principal
    ) -> ReviewOut:
        """The booking's client reviews the completed call (once, within 30 days of it)."""
        return ReviewOut.of(await reviews.create(principal, booking_id, data.rating, data.text))

    @get(operation_id="getBookingReview")
    async def get_review(self, booking_id: uuid.UUID, reviews: ReviewService, principal: Principal) -> ReviewOut:
        return ReviewOut.of(await reviews.for_booking(principal, booking_id))


class ReviewsController(Controller):
    path = "/v1/reviews"
    tags = ["reviews"]

    @patch("/{review_id:uuid}", operation_id="updateReview")
    async def update(
        self, review_id: uuid.UUID, data: ReviewUpdate, reviews: ReviewService, principal: Principal
    ) -> ReviewOut:
        """The client changes the rating or text, within 48 hours of writing the review."""
        rating = data.rating if isinstance(data.rating, int) else None
        text = data.text if isinstance(data.text, str) else None
        return ReviewOut.of(await reviews.update(principal, review_id, rating=rating, text=text))

    @post("/{review_id:uuid}/reply", operation_id="replyToReview", status_code=200)
    async def reply(
        self, review_id: uuid.UUID, data: ReviewReply, reviews: ReviewService, expert: Principal
    ) -> ReviewOut:
        """The reviewed expert answers, once."""
        return ReviewOut.of(await reviews.reply(expert, review_id, data.text))


class ExpertReviewsController(Controller):
    path = "/v1/experts/{expert_id:uuid}/reviews"
    tags = ["reviews", "marketplace"]

    @get(operation_id="listExpertReviews")
    async def list_reviews(
        self,
        expert_id: uuid.UUID,
        reviews: ReviewService,
        limit: Annotated[int, Parameter(ge=1, le=MAX_REVIEW_PAGE)] = 10,
        cursor: PageCursor = None,
    ) -> ReviewPageOut:
        """A listed expert's average, count and distribution over visible reviews, and the latest reviews."""
        return ReviewPageOut.of(await reviews.expert_reviews(expert_id, cursor, limit))
