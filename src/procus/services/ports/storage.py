"""The port through which services keep files (avatars) in object storage."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from procus.domain.avatars import FetchedObject, StoredObject

__all__ = ["ObjectStorage"]


class ObjectStorage(Protocol):
    """One bucket of objects addressed by key. Every method raises
    ``ServiceUnavailable("storage_unavailable")`` when the storage cannot be reached or refuses us."""

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing any object already there."""
        ...

    async def fetch(self, key: str, max_bytes: int) -> FetchedObject | None:
        """The object's bytes, or None if there is no such object. An object larger than ``max_bytes``
        is not read: its ``data`` is None."""
        ...

    async def presigned_put_url(self, key: str, expires: dt.timedelta) -> str:
        """A URL anyone can PUT one object to under ``key``, without credentials, until ``expires``
        from now. Creates the bucket first if needed (signing itself needs no request)."""
        ...

    async def presigned_get_url(self, key: str, expires: dt.timedelta) -> str:
        """A URL anyone can GET the object from, without credentials, until ``expires`` from now."""
        ...

    async def list_objects(self, prefix: str) -> list[StoredObject]:
        """Every object whose key starts with ``prefix``."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; a key that does not exist is not an error."""
        ...

    async def ensure_bucket(self) -> None:
        """Create the bucket if it does not exist yet."""
        ...
