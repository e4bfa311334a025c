"""The public marketplace: categories, the expert listing and public profiles. No sign-in needed.

The listing is answered from the directory's indexes (``store.marketplace``): each sort walks an
index and stops when the page is full, so no answer depends on how many experts match, and
``soonest``, "free within N days" and "free between two instants" read the availability index that
``DirectoryIndex`` keeps with the slot engine. Before answering, a request refreshes a few experts
whose changes are still queued (``DirectoryIndex.read_repair``), so a change normally shows at once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import msgspec

from procus.domain.experts import Category, ExpertiseArea, ExpertProfile
from procus.domain.marketplace import ExpertCandidate, ExpertSearch, ListingCursor
from procus.services.accounts.avatars import AvatarService
from procus.services.experts.directory_index import DirectoryIndex
from procus.services.ports.clock import Clock
from procus.store import areas, blocks, categories, experts, marketplace
from procus.store.db import Connection, Database

__all__ = ["ExpertPage", "MarketplaceService", "PublicExpert", "next_free_slots"]


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
    """Each expert's next free start for a call of the given minutes within ``days``, from the index."""
    found = await marketplace.next_free(conn, experts_and_durations)
    until = now + dt.timedelta(days=days)
    return {expert_id: slot if slot is not None and slot < until else None for expert_id, slot in found.items()}


class MarketplaceService:
    def __init__(self, db: Database, clock: Clock, avatars: AvatarService, index: DirectoryIndex) -> None:
        self._db = db
        self._clock = clock
        self._avatars = avatars
        self._index = index

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

    async def search(
        self, search: ExpertSearch, cursor: str | None = None, viewer_id: uuid.UUID | None = None
    ) -> ExpertPage:
        """A page of the listing; a signed-in ``viewer_id`` does not see experts a block keeps apart from them."""
        after = ListingCursor.decode(cursor, search) if cursor else None
        await self._index.read_repair()
        now = self._clock.now()
        async with self._db.transaction() as tx:
            await tx.execute(marketplace.CUSTOM_PLANS)
            rows = await marketplace.search_experts(
                tx,
                search,
                now=now,
                after=(after.key, after.id) if after else None,
                limit=search.limit + 1,
                viewer_id=viewer_id,
            )
        page = rows[: search.limit]
        next_cursor = None
        if len(rows) > search.limit:
            last = page[-1]
            next_cursor = ListingCursor(
                search=search.fingerprint(), key=last.sort_key(search.sort), id=last.id
            ).encode()
        avatar_urls: dict[uuid.UUID, str] = {}
        for card in page:
            url = await self._avatars.url_for_key(card.avatar_key)
            if url is not None:
                avatar_urls[card.id] = url
        return ExpertPage(items=page, next_cursor=next_cursor, avatar_urls=avatar_urls)
