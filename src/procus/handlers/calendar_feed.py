"""Calendar subscriptions: manage your private feed URL; calendar apps fetch it without signing in."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Response, delete, get, post
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.services.notices.calendar_feed import FEED_PATH, CalendarFeedService

__all__ = ["CalendarFeedController", "MyCalendarFeedController"]


class CalendarFeedOut(msgspec.Struct, frozen=True, kw_only=True):
    url: Annotated[str, msgspec.Meta(description="Private: anyone with it sees your calls. Add it to your calendar")]


class MyCalendarFeedController(Controller):
    path = "/v1/me/calendar-feed"
    tags = ["calendar"]

    @post(operation_id="createCalendarFeed", status_code=201)
    async def create(self, calendar_feeds: CalendarFeedService, principal: Principal) -> CalendarFeedOut:
        """A new private subscription URL for your calls; any earlier URL stops working."""
        return CalendarFeedOut(url=await calendar_feeds.create(principal))

    @delete(operation_id="revokeCalendarFeed", status_code=204)
    async def revoke(self, calendar_feeds: CalendarFeedService, principal: Principal) -> None:
        await calendar_feeds.revoke(principal)


class CalendarFeedController(Controller):
    path = FEED_PATH
    tags = ["calendar"]

    @get("/{token:str}", operation_id="getCalendarFeed", media_type="text/calendar")
    async def feed(
        self,
        calendar_feeds: CalendarFeedService,
        token: Annotated[str, Parameter(max_length=100, description="From the subscription URL")],
    ) -> Response[bytes]:
        """The iCalendar feed (text/calendar) of the user whose URL this is; 404 once revoked."""
        body = await calendar_feeds.feed(token)
        headers = {"Cache-Control": "private, max-age=300", "Content-Disposition": 'inline; filename="procus.ics"'}
        return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
