"""Profile pictures: upload straight to storage, adopt, replace and remove one's avatar, and hand
out short-lived URLs to it.

Uploading takes three steps so the image never passes through an API request: :meth:`start_upload`
checks the declared type and size and hands out a presigned PUT URL under an upload key; the
browser PUTs the file to storage; :meth:`adopt_upload` reads the object back (at most the limit),
checks its bytes, and writes them under a fresh avatar key with the type the bytes show. What the
browser may still overwrite at its upload key is never shown to anyone.

The image goes to object storage first and the user's row points at it second, so the row never
names a missing object. The object an avatar replaces is deleted only after the new key is
committed. A failed delete (or a crash between the two steps), and any upload never adopted, leave
an unreferenced object behind, never a broken avatar; an hourly sweep (:meth:`AvatarService.sweep_orphans`)
deletes such objects once they are older than any upload still in flight could be.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.avatars import (
    AVATAR_PREFIX,
    AVATAR_UPLOAD_PREFIX,
    ImageType,
    avatar_key,
    avatar_too_large,
    avatar_upload_key,
    check_avatar,
    check_declared_upload,
    parse_upload_key,
)
from procus.domain.errors import InvalidInput, NotFound, PermissionDenied, ServiceUnavailable
from procus.domain.limits import AVATAR_MAX_BYTES
from procus.services.ports.clock import Clock
from procus.services.ports.storage import ObjectStorage
from procus.store import avatars
from procus.store.db import Database

__all__ = ["AvatarPolicy", "AvatarService", "AvatarUpload"]

_log = logging.getLogger("procus.avatars")


class AvatarPolicy(msgspec.Struct, frozen=True, kw_only=True):
    max_bytes: int = AVATAR_MAX_BYTES
    url_ttl: dt.timedelta = dt.timedelta(minutes=15)
    upload_ttl: dt.timedelta = dt.timedelta(minutes=10)
    """How long a presigned upload URL works."""
    orphan_grace: dt.timedelta = dt.timedelta(hours=1)
    """An unreferenced object younger than this may be an upload not adopted yet, or an avatar whose
    row is not committed yet. Longer than ``upload_ttl``, so an upload can still be adopted after
    the last moment it could have been sent."""


class AvatarUpload(msgspec.Struct, frozen=True, kw_only=True):
    """Where and how the browser sends the file: PUT ``url`` with ``content_type`` before ``expires_at``."""

    key: str
    url: str
    content_type: ImageType
    expires_at: dt.datetime
    max_bytes: int


class AvatarService:
    def __init__(self, db: Database, storage: ObjectStorage, clock: Clock, policy: AvatarPolicy | None = None) -> None:
        self._db = db
        self._storage = storage
        self._clock = clock
        self._policy = policy or AvatarPolicy()

    async def start_upload(self, principal: Principal, content_type: str, size: int) -> AvatarUpload:
        """A presigned PUT for an image of ``content_type`` and ``size`` bytes, refused up front if
        either is out of bounds."""
        image = check_declared_upload(content_type, size, self._policy.max_bytes)
        key = avatar_upload_key(principal.user_id, image, uuid.uuid4())
        url = await self._storage.presigned_put_url(key, self._policy.upload_ttl)
        return AvatarUpload(
            key=key,
            url=url,
            content_type=image,
            expires_at=self._clock.now() + self._policy.upload_ttl,
            max_bytes=self._policy.max_bytes,
        )

    async def adopt_upload(self, principal: Principal, upload_key: str) -> str:
        """Make the image uploaded under ``upload_key`` the caller's avatar (replacing any other);
        returns a URL to it. The upload is deleted whether it is adopted or refused."""
        upload = parse_upload_key(upload_key)
        if upload.owner != principal.user_id:
            raise PermissionDenied("avatar_upload_not_yours", "This upload belongs to someone else")
        fetched = await self._storage.fetch(upload_key, self._policy.max_bytes)
        if fetched is None:
            raise NotFound("avatar_upload_missing", "Nothing was uploaded under this key, or the upload expired")
        try:
            if fetched.data is None:
                raise avatar_too_large(self._policy.max_bytes, field="upload_key")
            image = check_avatar(fetched.data, upload.image.value, self._policy.max_bytes)
            url = await self._replace(principal, fetched.data, image)
        except InvalidInput:
            await self._discard(upload_key)
            raise
        await self._discard(upload_key)
        return url

    async def _replace(self, principal: Principal, data: bytes, image: ImageType) -> str:
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
        """Delete avatar objects no user points at, and uploads never adopted, once older than the
        grace period; returns their keys."""
        settled_before = self._clock.now() - self._policy.orphan_grace
        stored = [
            *await self._storage.list_objects(AVATAR_PREFIX),
            *await self._storage.list_objects(AVATAR_UPLOAD_PREFIX),
        ]
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
