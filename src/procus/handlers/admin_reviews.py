"""/v1/admin/reviews: hiding a review (audited)."""

from __future__ import annotations

import uuid

from litestar import Controller, post

from procus.domain.admin_audit import AdminActor
from procus.handlers.admin_schemas import RequiredReason
from procus.handlers.review_schemas import ReviewOut
from procus.services.trust.reviews import ReviewService

__all__ = ["AdminReviewsController"]


class AdminReviewsController(Controller):
    path = "/v1/admin/reviews"
    tags = ["admin"]

    @post("/{review_id:uuid}/hide", operation_id="hideReview", status_code=200)
    async def hide(
        self, review_id: uuid.UUID, data: RequiredReason, reviews: ReviewService, admin_actor: AdminActor
    ) -> ReviewOut:
        """Take a review off the expert's profile and out of the averages; the reason is audited."""
        return ReviewOut.of(await reviews.hide(admin_actor, review_id, data.reason))
