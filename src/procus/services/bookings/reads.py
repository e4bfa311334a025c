"""Reading bookings: one's own list, one booking, its audit trail and its calendar invite.

Only the two participants and admins see a booking; anyone else gets 404, as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec

from procus.domain.accounts import Principal
from procus.domain.bookings import ACTIVE_STATUSES, BookingEvent, BookingStatus
from procus.domain.cursors import check_limit, decode_cursor, encode_cursor
from procus.domain.errors import Conflict, InvalidInput
from procus.services.bookings.core import BookingContext, BookingDetails
from procus.services.notices.bookings import invite_for
from procus.store import booking_events, booking_list
from procus.store import bookings as booking_store

__all__ = ["MAX_PAGE_SIZE", "BookingList", "BookingPage", "BookingReads", "Invite"]

MAX_PAGE_SIZE = 100
_UPCOMING = tuple(status for status in BookingStatus if status in ACTIVE_STATUSES)


class BookingList(msgspec.Struct, frozen=True, kw_only=True):
    """``when``: ``upcoming`` (active bookings whose call is not over yet, soonest first) or ``past``
    (latest first); both if None."""

    role: Literal["client", "expert"] | None = None
    statuses: tuple[BookingStatus, ...] = ()
    when: Literal["upcoming", "past"] | None = None
    cursor: str | None = None
    limit: int = 20


class BookingPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[BookingDetails]
    next_cursor: str | None


class Invite(msgspec.Struct, frozen=True, kw_only=True):
    filename: str
    method: str
    data: bytes


class _Cursor(msgspec.Struct, frozen=True, array_like=True):
    when: str
    starts_at: dt.datetime
    booking_id: uuid.UUID


def _decode_cursor(raw: str, when: str) -> _Cursor:
    cursor = decode_cursor(raw, _Cursor)
    if cursor.when != when:
        raise InvalidInput("cursor_mismatch", "cursor belongs to a list with another 'when'", field="cursor")
    return cursor


class BookingReads:
    def __init__(self, context: BookingContext) -> None:
        self._ctx = context

    async def get(self, principal: Principal, booking_id: uuid.UUID) -> BookingDetails:
        ctx = self._ctx
        async with ctx.db.connection() as conn:
            view = await booking_store.get_view(conn, booking_id)
        return ctx.details(view, ctx.actor(principal, view.booking).role, ctx.clock.now())

    async def list_mine(self, principal: Principal, query: BookingList) -> BookingPage:
        """The principal's bookings as client or expert, a keyset page at a time (by start, then id)."""
        check_limit(query.limit, MAX_PAGE_SIZE)
        now = self._ctx.clock.now()
        when = query.when or "all"
        after = _decode_cursor(query.cursor, when) if query.cursor else None
        statuses = query.statuses
        if query.when == "upcoming":  # only calls still to happen: not cancelled, declined, expired or over
            statuses = tuple(status for status in statuses or _UPCOMING if status in _UPCOMING)
            if not statuses:
                return BookingPage(items=[], next_cursor=None)
        store_query = booking_list.BookingQuery(
            user_id=principal.user_id,
            as_role=query.role,
            statuses=statuses,
            ends_after=now if query.when == "upcoming" else None,
            ends_by=now if query.when == "past" else None,
            ascending=query.when == "upcoming",
            after=(after.starts_at, after.booking_id) if after else None,
            limit=query.limit + 1,
        )
        async with self._ctx.db.connection() as conn:
            views = await booking_list.list_views(conn, store_query)
        page = views[: query.limit]
        next_cursor = None
        if len(views) > query.limit:
            last = page[-1].booking
            next_cursor = encode_cursor(_Cursor(when, last.starts_at, last.id))
        items = [self._ctx.details(view, self._ctx.actor(principal, view.booking).role, now) for view in page]
        return BookingPage(items=items, next_cursor=next_cursor)

    async def events(self, principal: Principal, booking_id: uuid.UUID) -> list[BookingEvent]:
        """The booking's audit trail, oldest first."""
        async with self._ctx.db.connection() as conn:
            booking = await booking_store.get_booking(conn, booking_id)
            self._ctx.actor(principal, booking)
            return await booking_events.list_events(conn, booking_id)

    async def invite(self, principal: Principal, booking_id: uuid.UUID) -> Invite:
        """The RFC 5545 event as it stands: REQUEST once confirmed (SEQUENCE rising with each
        change), CANCEL once called off. Bookings never confirmed have no calendar event."""
        async with self._ctx.db.connection() as conn:
            view = await booking_store.get_view(conn, booking_id)
        booking = view.booking
        self._ctx.actor(principal, booking)
        if not booking.has_invite:
            raise Conflict(
                f"booking_{booking.status.value}",
                "There is no calendar event until the expert confirms the booking",
                current_status=booking.status.value,
            )
        data, method = invite_for(view, self._ctx.links)
        return Invite(filename=f"procus-booking-{booking.id}.ics", method=method, data=data)
