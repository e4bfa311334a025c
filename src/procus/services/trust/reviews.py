"""Reviews of completed calls, the expert's reply, the public list, and hiding by an admin.

Every change to an expert's visible reviews recomputes ``rating_average``/``review_count`` on the
expert's profile in the same transaction, under the profile's row lock (taken before the review
row, in that order everywhere), so concurrent reviews of one expert serialize and the directory's
figures always match the reviews.
"""

from __future__ import annotations

import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.admin_audit import AdminActor, AuditRecord, snapshot
from procus.domain.cursors import TimeCursor, check_limit, paginate
from procus.domain.errors import InvalidInput, NotFound
from procus.domain.reasons import validate_reason
from procus.domain.reviews import (
    RatingSummary,
    Review,
    check_may_edit,
    check_may_reply,
    check_may_review,
    validate_rating,
    validate_text,
)
from procus.services.admin.audit import record_admin_action
from procus.services.notices.notifications import notify
from procus.services.ports.clock import Clock
from procus.store import experts, reviews
from procus.store.db import Database

__all__ = ["MAX_REVIEW_PAGE", "ReviewPage", "ReviewService"]

MAX_REVIEW_PAGE = 50


class ReviewPage(msgspec.Struct, frozen=True, kw_only=True):
    summary: RatingSummary
    items: list[Review]
    next_cursor: str | None


class ReviewService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create(self, principal: Principal, booking_id: uuid.UUID, rating: int, text: str | None) -> Review:
        """The booking's client reviews its completed call; the expert is told."""
        rating, body = validate_rating(rating), validate_text(text)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            booking = await reviews.reviewable_booking(tx, booking_id)
            check_may_review(booking, principal.user_id, now)
            await reviews.lock_expert_figures(tx, booking.expert_id)
            review_id = await reviews.insert_review(tx, booking, rating=rating, text=body, now=now)
            await reviews.recompute_expert_figures(tx, booking.expert_id)
            review = await reviews.get_review(tx, review_id)
            await notify(
                tx,
                user_id=booking.expert_id,
                kind="review.received",
                title="New review",
                body=f"{review.client_name} rated your call {rating} out of 5.",
                now=now,
                data={"review_id": str(review.id), "booking_id": str(booking_id), "url": "/expert/reviews"},
            )
        return review

    async def for_booking(self, principal: Principal, booking_id: uuid.UUID) -> Review:
        """The booking's review, for its client, its expert or an admin."""
        async with self._db.connection() as conn:
            booking = await reviews.reviewable_booking(conn, booking_id)
            review = await reviews.get_review_for_booking(conn, booking_id)
        involved = principal.user_id in (booking.client_id, booking.expert_id) or principal.role is Role.ADMIN
        if not involved:
            raise NotFound.no_such("booking")
        if review is None:
            raise NotFound("review_not_found", "This booking has no review yet")
        return review

    async def update(
        self, principal: Principal, review_id: uuid.UUID, *, rating: int | None, text: str | None
    ) -> Review:
        """The client changes their review, within the edit window."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            current = await reviews.get_review(tx, review_id)
            await reviews.lock_expert_figures(tx, current.expert_id)
            current = await reviews.lock_review(tx, review_id)
            check_may_edit(current, principal.user_id, now)
            new_rating = validate_rating(rating) if rating is not None else current.rating
            new_text = validate_text(text) if text is not None else current.text
            await reviews.update_review(tx, review_id, rating=new_rating, text=new_text, now=now)
            await reviews.recompute_expert_figures(tx, current.expert_id)
            return await reviews.get_review(tx, review_id)

    async def reply(self, principal: Principal, review_id: uuid.UUID, text: str) -> Review:
        """The reviewed expert answers, once; the client is told."""
        body = validate_text(text, field="text")
        if not body:
            raise InvalidInput("reply_required", "Write a reply", field="text")
        now = self._clock.now()
        async with self._db.transaction() as tx:
            current = await reviews.lock_review(tx, review_id)
            check_may_reply(current, principal.user_id)
            await reviews.set_reply(tx, review_id, body, now)
            review = await reviews.get_review(tx, review_id)
            await notify(
                tx,
                user_id=review.client_id,
                kind="review.replied",
                title="The expert replied to your review",
                body=body[:200],
                now=now,
                data={"review_id": str(review.id), "booking_id": str(review.booking_id)},
            )
        return review

    async def expert_reviews(self, expert_id: uuid.UUID, cursor: str | None, limit: int = 10) -> ReviewPage:
        """A listed expert's visible reviews, newest first, with the figures over all of them."""
        check_limit(limit, MAX_REVIEW_PAGE)
        after = TimeCursor.decode_optional(cursor)
        async with self._db.connection() as conn:
            await experts.get_listed_profile(conn, expert_id)
            summary = await reviews.summary(conn, expert_id)
            found = await reviews.list_visible(conn, expert_id, after, limit + 1)
        page, next_cursor = paginate(found, limit, lambda review: (review.created_at, review.id))
        return ReviewPage(summary=summary, items=page, next_cursor=next_cursor)

    async def hide(self, actor: AdminActor, review_id: uuid.UUID, reason: str) -> Review:
        """An admin takes a review off the profile and out of the averages (audited)."""
        reason = validate_reason(reason) or ""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            current = await reviews.get_review(tx, review_id)
            await reviews.lock_expert_figures(tx, current.expert_id)
            current = await reviews.lock_review(tx, review_id)
            await reviews.hide_review(tx, review_id, admin_id=actor.admin_id, reason=reason, now=now)
            await reviews.recompute_expert_figures(tx, current.expert_id)
            hidden = await reviews.get_review(tx, review_id)
            await record_admin_action(
                tx,
                actor,
                AuditRecord(
                    action="review.hide",
                    target_type="review",
                    target_id=str(review_id),
                    before=snapshot(current, "rating", "hidden_at"),
                    after=snapshot(hidden, "rating", "hidden_at", "hidden_reason"),
                    reason=reason,
                ),
                now,
            )
        return hidden
