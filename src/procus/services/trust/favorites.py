"""Favorite experts: keeping the list, reading it with each expert's next free time, and telling
fans when a favorite opens new hours (at most once a day per fan and expert).

The notice is a job queued in the transaction that saves the new availability (the outbox), so it
exists exactly when the new hours do; the job's notifications carry a per-day dedupe key, so
however often the expert edits their hours, each fan hears about it once that day.
"""

from __future__ import annotations

import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.errors import InvalidInput
from procus.domain.favorites import Favorite
from procus.services.accounts.avatars import AvatarService
from procus.services.experts.directory_index import DirectoryIndex
from procus.services.experts.marketplace import next_free_slots
from procus.services.notices.notifications import notify
from procus.services.ports.clock import Clock
from procus.store import experts, favorites
from procus.store.db import Connection, Database
from procus.store.jobs import JobKind

__all__ = ["NEW_HOURS", "NEW_HOURS_JOB", "FavoriteService", "FavoriteView", "NewHoursJob", "queue_new_hours_notice"]

NEXT_FREE_SCAN_DAYS = 30


class NewHoursJob(msgspec.Struct, frozen=True):
    expert_id: uuid.UUID


NEW_HOURS = JobKind("favorites.announce_new_hours", NewHoursJob)
NEW_HOURS_JOB = NEW_HOURS.name


class FavoriteView(msgspec.Struct, frozen=True, kw_only=True):
    favorite: Favorite
    avatar_url: str | None


async def queue_new_hours_notice(tx: Connection, expert_id: uuid.UUID) -> None:
    """Ask for the fans of ``expert_id`` to be told about new hours, once the caller's change commits."""
    await NEW_HOURS.enqueue(tx, NewHoursJob(expert_id), dedupe_key=f"{NEW_HOURS_JOB}:{expert_id}")


class FavoriteService:
    def __init__(self, db: Database, clock: Clock, avatars: AvatarService, index: DirectoryIndex) -> None:
        self._db = db
        self._clock = clock
        self._avatars = avatars
        self._index = index

    async def add(self, principal: Principal, expert_id: uuid.UUID) -> None:
        """Favorite a listed expert; favoriting one already in the list changes nothing."""
        if expert_id == principal.user_id:
            raise InvalidInput("cannot_favorite_self", "You cannot favorite yourself", field="expert_id")
        async with self._db.transaction() as tx:
            await experts.get_listed_profile(tx, expert_id)
            await favorites.add_favorite(tx, principal.user_id, expert_id, self._clock.now())

    async def remove(self, principal: Principal, expert_id: uuid.UUID) -> None:
        async with self._db.transaction() as tx:
            await favorites.remove_favorite(tx, principal.user_id, expert_id)

    async def list_mine(self, principal: Principal) -> list[FavoriteView]:
        """The principal's favorites, latest first, each with its next free start within 30 days (from
        the directory's availability index, like the listing)."""
        await self._index.read_repair()
        now = self._clock.now()
        async with self._db.connection() as conn:
            found = await favorites.list_favorites(conn, principal.user_id)
            bookable = [(f.expert_id, f.min_duration_minutes) for f in found if f.listed and f.min_duration_minutes]
            free = await next_free_slots(conn, bookable, now, days=NEXT_FREE_SCAN_DAYS) if bookable else {}
        views = []
        for favorite in found:
            favorite = msgspec.structs.replace(favorite, next_free_slot=free.get(favorite.expert_id))
            views.append(
                FavoriteView(favorite=favorite, avatar_url=await self._avatars.url_for_key(favorite.avatar_key))
            )
        return views

    async def announce_new_hours(self, job: NewHoursJob) -> int:
        """Tell each fan of a listed expert that new hours are open; returns how many were told now."""
        now = self._clock.now()
        told = 0
        async with self._db.transaction() as tx:
            profile = await experts.get_listed_profile(tx, job.expert_id)
            for fan_id in await favorites.fans_of(tx, job.expert_id):
                notice = await notify(
                    tx,
                    user_id=fan_id,
                    kind="favorite.new_hours",
                    title=f"{profile.full_name} opened new hours",
                    body=f"{profile.full_name}, one of your favorite experts, has new times to book.",
                    now=now,
                    data={"expert_id": str(job.expert_id), "url": f"/experts/{job.expert_id}"},
                    dedupe_key=f"favorite.new_hours:{job.expert_id}:{now.date().isoformat()}",
                )
                told += notice is not None
        return told
