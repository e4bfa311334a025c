"""Profile pictures: upload, replace and remove one's avatar, and hand out short-lived URLs to it.

The image goes to object storage first and the user's row points at it second, so the row never
names a missing object. Each upload gets a fresh key; the object it replaces is deleted only after
the new key is committed. A failed delete (or a crash between the two steps) leaves an unreferenced
object behind, never a broken avatar; an hourly sweep (:meth:`AvatarService.sweep_orphans`) deletes
such objects once they are older than any upload still in flight could be.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.avatars import AVATAR_PREFIX, avatar_key, check_avatar
from procus.domain.errors import ServiceUnavailable
from procus.services.ports.clock import Clock
from procus.services.ports.storage import ObjectStorage
from procus.store import avatars
from procus.store.db import Database

__all__ = ["AvatarPolicy", "AvatarService"]

_log = logging.getLogger("procus.avatars")


class AvatarPolicy(msgspec.Struct, frozen=True, kw_only=True):
    max_bytes: int = 2 * 1024 * 1024
    url_ttl: dt.timedelta = dt.timedelta(minutes=15)
    orphan_grace: dt.timedelta = dt.timedelta(hours=1)
    """An unreferenced object younger than this may be an upload whose row is not committed yet."""


class AvatarService:
    def __init__(self, db: Database, storage: ObjectStorage, clock: Clock, policy: AvatarPolicy | None = None) -> None:
        self._db = db
        self._storage = storage
        self._clock = clock
        self._policy = policy or AvatarPolicy()

    @property
    def max_bytes(self) -> int:
        return self._policy.max_bytes

    async def upload(self, principal: Principal, data: bytes, content_type: str | None) -> str:
        """Make ``data`` the caller's avatar (replacing any other); returns a URL to it."""
        image = check_avatar(data, content_type, self._policy.max_bytes)
        key = avatar_key(principal.user_id, image, uuid.uuid4())
        await self._storage.put(key, data, image.value)
        try:
            async with self._db.transaction() as tx:
                previous = await avatars.replace_avatar_key(tx, principal.user_id, key)
        except BaseException:
            await self._discard(key)
            raise
        if previous is not None:
            await self._discard(previous)
        return await self._storage.presigned_get_url(key, self._policy.url_ttl)

    async def remove(self, principal: Principal) -> None:
        """Remove the caller's avatar; without one, nothing happens."""
        async with self._db.transaction() as tx:
            previous = await avatars.replace_avatar_key(tx, principal.user_id, None)
        if previous is not None:
            await self._discard(previous)

    async def url_for(self, user_id: uuid.UUID) -> str | None:
        """A presigned URL to the user's avatar, or None if they have none."""
        async with self._db.connection() as conn:
            key = await avatars.get_avatar_key(conn, user_id)
        return await self.url_for_key(key)

    async def url_for_key(self, key: str | None) -> str | None:
        """A presigned URL to the avatar stored under ``key`` (signed locally: no request to storage)."""
        if key is None:
            return None
        return await self._storage.presigned_get_url(key, self._policy.url_ttl)

    async def sweep_orphans(self) -> list[str]:
        """Delete avatar objects no user points at and older than the grace period; returns their keys."""
        settled_before = self._clock.now() - self._policy.orphan_grace
        stored = await self._storage.list_objects(AVATAR_PREFIX)
        candidates = [item.key for item in stored if item.last_modified < settled_before]
        if not candidates:
            return []
        async with self._db.connection() as conn:
            in_use = await avatars.keys_in_use(conn, candidates)
        orphans = [key for key in candidates if key not in in_use]
        for key in orphans:
            await self._storage.delete(key)
        if orphans:
            _log.info("deleted %d orphaned avatar objects", len(orphans))
        return orphans

    async def _discard(self, key: str) -> None:
        try:
            await self._storage.delete(key)
        except ServiceUnavailable:
            _log.warning("could not delete the replaced avatar object %s; it stays orphaned", key)
