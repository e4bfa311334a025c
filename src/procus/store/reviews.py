"""Reviews, and the expert figures kept from them (``expert_profiles.rating_average``/``review_count``)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import asyncpg

from procus.domain.bookings import BookingStatus
from procus.domain.cursors import TimeCursor
from procus.domain.errors import Conflict, NotFound
from procus.domain.reviews import RatingSummary, Review, ReviewableBooking
from procus.store.db import Connection
from procus.store.keyset import Keyset

__all__ = [
    "get_review",
    "get_review_for_booking",
    "hide_review",
    "insert_review",
    "list_visible",
    "lock_expert_figures",
    "lock_review",
    "recompute_expert_figures",
    "reviewable_booking",
    "set_reply",
    "summary",
    "update_review",
]

_COLUMNS = """
    r.id, r.booking_id, r.expert_id, r.client_id, u.full_name AS client_name, r.rating, r.body, r.reply,
    r.replied_at, r.hidden_at, r.hidden_reason, r.created_at, r.updated_at
"""
_FROM = "FROM reviews r JOIN users u ON u.id = r.client_id"

SELECT_REVIEWABLE = """
SELECT b.id, b.client_id, b.expert_id, b.status, coalesce(c.ended_at, c.ends_at) AS call_ended_at
FROM bookings b JOIN calls c ON c.id = b.call_id WHERE b.id = $1
"""
SELECT_REVIEW = f"SELECT {_COLUMNS} {_FROM} WHERE r.id = $1"
LOCK_REVIEW = f"{SELECT_REVIEW} FOR UPDATE OF r"
SELECT_FOR_BOOKING = f"SELECT {_COLUMNS} {_FROM} WHERE r.booking_id = $1"
INSERT_REVIEW = """
INSERT INTO reviews (booking_id, expert_id, client_id, rating, body, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
ON CONFLICT (booking_id) DO NOTHING
RETURNING id
"""
UPDATE_REVIEW = "UPDATE reviews SET rating = $2, body = $3, updated_at = $4 WHERE id = $1"
SET_REPLY = "UPDATE reviews SET reply = $2, replied_at = $3, updated_at = $3 WHERE id = $1 AND reply IS NULL"
HIDE_REVIEW = """
UPDATE reviews SET hidden_at = $2, hidden_by = $3, hidden_reason = $4, updated_at = $2
WHERE id = $1 AND hidden_at IS NULL
"""
_NEWEST = Keyset("r.created_at", "r.id")
LIST_VISIBLE = f"""
SELECT {_COLUMNS} {_FROM}
WHERE r.expert_id = $1 AND r.hidden_at IS NULL
{_NEWEST.page(2)}
"""
DISTRIBUTION = """
SELECT rating, count(*) AS n FROM reviews WHERE expert_id = $1 AND hidden_at IS NULL GROUP BY rating
"""
LOCK_EXPERT_FIGURES = "SELECT 1 FROM expert_profiles WHERE user_id = $1 FOR UPDATE"
# Run as its own statement after the change, once the profile row is locked: under READ COMMITTED
# it then sees every review committed by transactions that held the lock before, so concurrent
# reviews of one expert can never leave a stale average.
RECOMPUTE_EXPERT_FIGURES = """
UPDATE expert_profiles p SET rating_average = f.average, review_count = f.n
FROM (
    SELECT round(avg(rating), 2) AS average, count(*)::integer AS n
    FROM reviews WHERE expert_id = $1 AND hidden_at IS NULL
) f
WHERE p.user_id = $1
"""

_CENTS = decimal.Decimal("0.01")
"""Averages have two decimals, rounded half up as PostgreSQL's ``round(numeric, 2)`` does."""


def _to_review(row: asyncpg.Record) -> Review:
    return Review(
        id=row["id"],
        booking_id=row["booking_id"],
        expert_id=row["expert_id"],
        client_id=row["client_id"],
        client_name=row["client_name"],
        rating=row["rating"],
        text=row["body"],
        reply=row["reply"],
        replied_at=row["replied_at"],
        hidden_at=row["hidden_at"],
        hidden_reason=row["hidden_reason"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


async def reviewable_booking(conn: Connection, booking_id: uuid.UUID) -> ReviewableBooking:
    row = await conn.fetchrow(SELECT_REVIEWABLE, booking_id)
    if row is None:
        raise NotFound.no_such("booking")
    return ReviewableBooking(
        booking_id=row["id"],
        client_id=row["client_id"],
        expert_id=row["expert_id"],
        status=BookingStatus(row["status"]),
        call_ended_at=row["call_ended_at"],
    )


async def get_review(conn: Connection, review_id: uuid.UUID) -> Review:
    row = await conn.fetchrow(SELECT_REVIEW, review_id)
    if row is None:
        raise NotFound.no_such("review")
    return _to_review(row)


async def lock_review(conn: Connection, review_id: uuid.UUID) -> Review:
    row = await conn.fetchrow(LOCK_REVIEW, review_id)
    if row is None:
        raise NotFound.no_such("review")
    return _to_review(row)


async def get_review_for_booking(conn: Connection, booking_id: uuid.UUID) -> Review | None:
    row = await conn.fetchrow(SELECT_FOR_BOOKING, booking_id)
    return _to_review(row) if row is not None else None


async def insert_review(
    conn: Connection, booking: ReviewableBooking, *, rating: int, text: str, now: dt.datetime
) -> uuid.UUID:
    """The new review's id; Conflict when the booking already has one."""
    review_id: uuid.UUID | None = await conn.fetchval(
        INSERT_REVIEW, booking.booking_id, booking.expert_id, booking.client_id, rating, text, now
    )
    if review_id is None:
        raise Conflict("already_reviewed", "This booking already has a review; edit it instead")
    return review_id


async def update_review(conn: Connection, review_id: uuid.UUID, *, rating: int, text: str, now: dt.datetime) -> None:
    await conn.execute(UPDATE_REVIEW, review_id, rating, text, now)


async def set_reply(conn: Connection, review_id: uuid.UUID, reply: str, now: dt.datetime) -> None:
    if await conn.execute(SET_REPLY, review_id, reply, now) == "UPDATE 0":
        raise Conflict("review_already_replied", "You have already replied to this review")


async def hide_review(
    conn: Connection, review_id: uuid.UUID, *, admin_id: uuid.UUID, reason: str, now: dt.datetime
) -> None:
    if await conn.execute(HIDE_REVIEW, review_id, now, admin_id, reason) == "UPDATE 0":
        raise Conflict("review_hidden", "This review is already hidden")


async def list_visible(conn: Connection, expert_id: uuid.UUID, after: TimeCursor | None, limit: int) -> list[Review]:
    rows = await conn.fetch(LIST_VISIBLE, expert_id, *_NEWEST.args(after), limit)
    return [_to_review(row) for row in rows]


async def summary(conn: Connection, expert_id: uuid.UUID) -> RatingSummary:
    rows = await conn.fetch(DISTRIBUTION, expert_id)
    distribution = {stars: 0 for stars in range(1, 6)}
    distribution.update({row["rating"]: row["n"] for row in rows})
    count = sum(distribution.values())
    total = sum(stars * n for stars, n in distribution.items())
    average = float((decimal.Decimal(total) / count).quantize(_CENTS, decimal.ROUND_HALF_UP)) if count else None
    return RatingSummary(average=average, count=count, distribution=distribution)


async def lock_expert_figures(conn: Connection, expert_id: uuid.UUID) -> None:
    """Take the expert's profile row lock: every change to the expert's reviews happens under it."""
    await conn.execute(LOCK_EXPERT_FIGURES, expert_id)


async def recompute_expert_figures(conn: Connection, expert_id: uuid.UUID) -> None:
    await conn.execute(RECOMPUTE_EXPERT_FIGURES, expert_id)
