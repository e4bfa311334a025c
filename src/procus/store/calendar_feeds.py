"""Private calendar subscriptions: a user's feed token (hashed) and the bookings the feed lists."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.domain.bookings import BookingView
from procus.store.bookings import VIEW_COLUMNS, VIEW_FROM, row_to_view
from procus.store.db import Connection

__all__ = ["delete_feed", "feed_owner", "feed_views", "replace_feed"]

REPLACE_FEED = """
INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)
ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
"""
DELETE_FEED = "DELETE FROM calendar_feeds WHERE user_id = $1"
SELECT_OWNER = """
SELECT f.user_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id WHERE f.token_hash = $1 AND u.is_active
"""
# Every booking that ever had a calendar event (it was confirmed once), still recent or ahead.
FEED_VIEWS = f"""
SELECT {VIEW_COLUMNS} {VIEW_FROM}
WHERE (b.client_id = $1 OR b.expert_id = $1) AND b.confirmed_at IS NOT NULL AND c.ends_at > $2
ORDER BY c.starts_at, b.id
LIMIT 1000
"""


async def replace_feed(conn: Connection, user_id: uuid.UUID, token_hash: bytes, now: dt.datetime) -> None:
    await conn.execute(REPLACE_FEED, user_id, token_hash, now)


async def delete_feed(conn: Connection, user_id: uuid.UUID) -> bool:
    return bool(await conn.execute(DELETE_FEED, user_id) != "DELETE 0")


async def feed_owner(conn: Connection, token_hash: bytes) -> uuid.UUID | None:
    owner: uuid.UUID | None = await conn.fetchval(SELECT_OWNER, token_hash)
    return owner


async def feed_views(conn: Connection, user_id: uuid.UUID, ends_after: dt.datetime) -> list[BookingView]:
    return [row_to_view(row) for row in await conn.fetch(FEED_VIEWS, user_id, ends_after)]
