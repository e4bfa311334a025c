"""The public marketplace: categories, the expert listing and public profiles. No sign-in needed.

Next free slot. "Has a free slot within N days" and ``sort=soonest`` are answered by the slot
engine, never approximated in SQL. For a batch of candidates the service loads all their
availability in one query and all their busy time in another (``store.availability``), then runs
``first_free_slot`` per candidate (a day ahead, then a week, then the rest of the window), so a
batch costs two queries whatever its size. The work is capped:

* with the filter and a SQL sort, rows are scanned in sort order in batches until the page is full
  or ``scan_cap`` rows have been examined; then the page may be short (even empty) and
  ``next_cursor`` continues the scan where it stopped;
* ``sort=soonest`` ranks at most ``soonest_candidates`` candidates (the filters apply first, then
  the lowest ids) and looks ``free_within_days`` ahead, or ``soonest_scan_days`` without the
  filter; experts with nothing free in that time come last, by id. Each page recomputes the
  ranking, so a cursor is a position (slot, id) in it, not a snapshot.

Every page also shows each card's next free slot within ``card_scan_days`` (two more queries) and
a short-lived URL to the expert's picture.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import msgspec

from procus.domain.experts import Category, ExpertiseArea, ExpertProfile
from procus.domain.marketplace import (
    ExpertCandidate,
    ExpertSearch,
    ExpertSort,
    ListingCursor,
    first_free_slot,
    soonest_order,
)
from procus.services.accounts.avatars import AvatarService
from procus.services.ports.clock import Clock
from procus.store import areas, availability, blocks, categories, experts, marketplace
from procus.store.db import Connection, Database

__all__ = ["ExpertPage", "ListingPolicy", "MarketplaceService", "PublicExpert", "next_free_slots"]


class ListingPolicy(msgspec.Struct, frozen=True, kw_only=True):
    filter_batch: int = 40
    scan_cap: int = 400
    soonest_candidates: int = 500
    soonest_scan_days: int = 30
    card_scan_days: int = 30


class ExpertPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ExpertCandidate]
    next_cursor: str | None
    avatar_urls: dict[uuid.UUID, str] = {}
    """Expert id -> picture URL, for the cards whose expert has one."""


class PublicExpert(msgspec.Struct, frozen=True, kw_only=True):
    profile: ExpertProfile
    areas: list[ExpertiseArea]
    avatar_url: str | None = None
    can_book: bool = True


async def next_free_slots(
    conn: Connection, experts_and_durations: Sequence[tuple[uuid.UUID, int]], now: dt.datetime, *, days: int
) -> dict[uuid.UUID, dt.datetime | None]:
    """Each expert's first free start for a call of the given minutes within ``days``: two queries in all."""
    until = now + dt.timedelta(days=days)
    ids = [expert_id for expert_id, _ in experts_and_durations]
    hours = await availability.load_availabilities(conn, ids, now, until)
    busy = await availability.load_busy(conn, ids, now, until)
    found: dict[uuid.UUID, dt.datetime | None] = {}
    for expert_id, duration in experts_and_durations:
        expert_hours = hours.get(expert_id)
        found[expert_id] = (
            first_free_slot(expert_hours, busy.get(expert_id, ()), duration_minutes=duration, now=now, until=until)
            if expert_hours is not None
            else None
        )
    return found


class MarketplaceService:
    def __init__(self, db: Database, clock: Clock, avatars: AvatarService, policy: ListingPolicy | None = None) -> None:
        self._db = db
        self._clock = clock
        self._avatars = avatars
        self._policy = policy or ListingPolicy()

    async def categories(self) -> list[Category]:
        async with self._db.connection() as conn:
            return await categories.list_categories(conn)

    async def public_expert(self, expert_id: uuid.UUID, viewer_id: uuid.UUID | None = None) -> PublicExpert:
        """A listed expert's profile and active areas; anyone else is NotFound. A viewer kept apart from
        the expert by a block (either way) sees the profile with ``can_book`` false."""
        async with self._db.connection() as conn:
            profile = await experts.get_listed_profile(conn, expert_id)
            offered = await areas.list_areas(conn, expert_id, active_only=True)
            kept_apart = viewer_id is not None and await blocks.blocked_between(conn, viewer_id, expert_id)
        avatar_url = await self._avatars.url_for(expert_id)
        return PublicExpert(profile=profile, areas=offered, avatar_url=avatar_url, can_book=not kept_apart)

    async def search(self, search: ExpertSearch, cursor: str | None = None) -> ExpertPage:
        after = ListingCursor.decode(cursor, search) if cursor else None
        now = self._clock.now()
        async with self._db.connection() as conn:
            if search.sort is ExpertSort.SOONEST:
                page = await self._soonest(conn, search, after, now)
            else:
                page = await self._in_sql_order(conn, search, after, now)
        avatar_urls: dict[uuid.UUID, str] = {}
        for card in page.items:
            url = await self._avatars.url_for_key(card.avatar_key)
            if url is not None:
                avatar_urls[card.id] = url
        return msgspec.structs.replace(page, avatar_urls=avatar_urls)

    async def _in_sql_order(
        self, conn: Connection, search: ExpertSearch, after: ListingCursor | None, now: dt.datetime
    ) -> ExpertPage:
        position = (after.key, after.id) if after else None
        filtering = search.free_within_days is not None
        batch = max(2 * search.limit, self._policy.filter_batch) if filtering else search.limit + 1
        found: list[ExpertCandidate] = []
        scanned = 0
        while True:
            rows = await marketplace.search_experts(conn, search, after=position, limit=batch)
            if filtering and rows:
                rows = await self._with_next_free(conn, rows, now, days=search.free_within_days or 0)
            for row in rows:
                position = (row.sort_key(search.sort), row.id)
                if not filtering or row.next_free_slot is not None:
                    found.append(row)
                    if len(found) > search.limit:
                        break
            scanned += len(rows)
            exhausted = len(rows) < batch
            if len(found) > search.limit or exhausted or scanned >= self._policy.scan_cap:
                break
        page = found[: search.limit]
        if len(found) > search.limit:
            next_at: tuple[str, uuid.UUID] | None = (page[-1].sort_key(search.sort), page[-1].id)
        else:
            next_at = None if exhausted else position
        if not filtering and page:
            page = await self._with_next_free(conn, page, now, days=self._policy.card_scan_days)
        return ExpertPage(items=page, next_cursor=self._cursor(search, next_at))

    async def _soonest(
        self, conn: Connection, search: ExpertSearch, after: ListingCursor | None, now: dt.datetime
    ) -> ExpertPage:
        days = search.free_within_days or self._policy.soonest_scan_days
        rows = await marketplace.search_experts(conn, search, after=None, limit=self._policy.soonest_candidates)
        ranked = await self._with_next_free(conn, rows, now, days=days)
        if search.free_within_days is not None:
            ranked = [row for row in ranked if row.next_free_slot is not None]
        ranked.sort(key=soonest_order)
        if after is not None:
            boundary = after.soonest_position()
            ranked = [row for row in ranked if soonest_order(row) > boundary]
        page = ranked[: search.limit]
        more = len(ranked) > search.limit
        next_at = (page[-1].sort_key(search.sort), page[-1].id) if more else None
        return ExpertPage(items=page, next_cursor=self._cursor(search, next_at))

    async def _with_next_free(
        self, conn: Connection, rows: Sequence[ExpertCandidate], now: dt.datetime, *, days: int
    ) -> list[ExpertCandidate]:
        """``rows`` with ``next_free_slot`` filled in: two queries for the whole batch."""
        wanted = [(row.id, row.min_duration_minutes) for row in rows]
        found = await next_free_slots(conn, wanted, now, days=days)
        return [msgspec.structs.replace(row, next_free_slot=found.get(row.id)) for row in rows]

    @staticmethod
    def _cursor(search: ExpertSearch, at: tuple[str, uuid.UUID] | None) -> str | None:
        if at is None:
            return None
        return ListingCursor(search=search.fingerprint(), key=at[0], id=at[1]).encode()
