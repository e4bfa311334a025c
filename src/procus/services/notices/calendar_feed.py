"""Calendar subscriptions: each user may have one private, revocable iCalendar URL listing their calls.

The URL holds a random token (only its hash is stored). The feed lists every booking that was ever
confirmed and has not ended more than :data:`KEEP_PAST` ago, each with the same UID and SEQUENCE as
the emailed invites: calendar apps update a moved call in place and drop a cancelled one.
"""

from __future__ import annotations

import datetime as dt

from procus.domain.accounts import Principal
from procus.domain.errors import NotFound
from procus.services.auth.tokens import hash_token, new_opaque_token
from procus.services.notices.bookings import BookingLinks, calendar_event_for
from procus.services.notices.calendar_invite import build_feed
from procus.services.ports.clock import Clock
from procus.store import calendar_feeds
from procus.store.db import Database

__all__ = ["FEED_PATH", "KEEP_PAST", "CalendarFeedService"]

FEED_PATH = "/v1/calendar-feeds"
KEEP_PAST = dt.timedelta(days=60)


class CalendarFeedService:
    def __init__(self, db: Database, clock: Clock, links: BookingLinks, public_url: str) -> None:
        self._db = db
        self._clock = clock
        self._links = links
        self._base = public_url.rstrip("/")

    async def create(self, principal: Principal) -> str:
        """A new subscription URL; any earlier URL of this user stops working."""
        token = new_opaque_token()
        async with self._db.transaction() as tx:
            await calendar_feeds.replace_feed(tx, principal.user_id, hash_token(token), self._clock.now())
        return f"{self._base}{FEED_PATH}/{token}.ics"

    async def revoke(self, principal: Principal) -> None:
        async with self._db.transaction() as tx:
            await calendar_feeds.delete_feed(tx, principal.user_id)

    async def feed(self, token: str) -> bytes:
        """The iCalendar document behind a subscription URL; NotFound for a revoked or unknown token."""
        async with self._db.connection() as conn:
            owner = await calendar_feeds.feed_owner(conn, hash_token(token.removesuffix(".ics")))
            if owner is None:
                raise NotFound("calendar_feed_not_found", "This calendar link does not exist or was revoked")
            views = await calendar_feeds.feed_views(conn, owner, self._clock.now() - KEEP_PAST)
        return build_feed("ProcusMeet calls", [calendar_event_for(view, self._links) for view in views])
