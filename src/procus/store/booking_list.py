"""One person's bookings, a keyset page at a time, as client or expert, upcoming or past."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.admin_lists import BookingSearch
from procus.domain.bookings import BookingStatus, BookingView
from procus.store.bookings import VIEW_COLUMNS, VIEW_FROM, row_to_view
from procus.store.db import Connection
from procus.store.keyset import Keyset

__all__ = ["LIST_ASCENDING", "LIST_DESCENDING", "SEARCH_ALL", "BookingQuery", "list_views", "search_views"]

# Keyset pages over (starts_at, id): ascending for upcoming calls, descending otherwise.
_LIST_WHERE = """
WHERE (b.client_id = $1 OR b.expert_id = $1)
  AND ($2::text IS NULL OR ($2 = 'client' AND b.client_id = $1) OR ($2 = 'expert' AND b.expert_id = $1))
  AND ($3::text[] IS NULL OR b.status = ANY($3::text[]))
  AND ($4::timestamptz IS NULL OR c.ends_at > $4)
  AND ($5::timestamptz IS NULL OR c.ends_at <= $5)
"""
_SOONEST = Keyset("c.starts_at", "b.id", newest_first=False)
_LATEST = Keyset("c.starts_at", "b.id")
LIST_ASCENDING = f"SELECT {VIEW_COLUMNS} {VIEW_FROM} {_LIST_WHERE} {_SOONEST.page(6)}"
LIST_DESCENDING = f"SELECT {VIEW_COLUMNS} {VIEW_FROM} {_LIST_WHERE} {_LATEST.page(6)}"

SEARCH_ALL = f"""
SELECT {VIEW_COLUMNS} {VIEW_FROM}
WHERE ($1::text[] IS NULL OR b.status = ANY($1::text[]))
  AND ($2::uuid IS NULL OR b.expert_id = $2)
  AND ($3::uuid IS NULL OR b.client_id = $3)
  AND ($4::uuid IS NULL OR b.client_id = $4 OR b.expert_id = $4)
  AND {_LATEST.within(5)}
  {_LATEST.page(7)}
"""


class BookingQuery(msgspec.Struct, frozen=True, kw_only=True):
    """Which of a person's bookings to list; ``after`` is the (starts_at, id) key of the last row seen."""

    user_id: uuid.UUID
    as_role: str | None = None
    statuses: tuple[BookingStatus, ...] = ()
    ends_after: dt.datetime | None = None
    ends_by: dt.datetime | None = None
    ascending: bool = False
    after: tuple[dt.datetime, uuid.UUID] | None = None
    limit: int = 20


async def list_views(conn: Connection, query: BookingQuery) -> list[BookingView]:
    after_start, after_id = query.after if query.after else (None, None)
    statuses = [status.value for status in query.statuses] if query.statuses else None
    rows = await conn.fetch(
        LIST_ASCENDING if query.ascending else LIST_DESCENDING,
        query.user_id,
        query.as_role,
        statuses,
        query.ends_after,
        query.ends_by,
        after_start,
        after_id,
        query.limit,
    )
    return [row_to_view(row) for row in rows]


async def search_views(conn: Connection, search: BookingSearch) -> list[BookingView]:
    """Every booking matching ``search`` (admins), latest start first: up to ``limit + 1`` rows."""
    rows = await conn.fetch(
        SEARCH_ALL,
        [status.value for status in search.statuses] or None,
        search.expert_id,
        search.client_id,
        search.participant_id,
        search.starts_from,
        search.starts_to,
        *_LATEST.args(search.after),
        search.limit + 1,
    )
    return [row_to_view(row) for row in rows]
