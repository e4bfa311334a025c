"""Which stored object is each user's avatar: the ``users.avatar_key`` column."""

from __future__ import annotations

import uuid

from procus.domain.errors import NotFound
from procus.store.db import Connection

__all__ = ["get_avatar_key", "keys_in_use", "replace_avatar_key"]

SELECT_AVATAR_KEY = "SELECT avatar_key FROM users WHERE id = $1"
SELECT_AVATAR_KEY_FOR_UPDATE = "SELECT avatar_key FROM users WHERE id = $1 FOR UPDATE"
UPDATE_AVATAR_KEY = "UPDATE users SET avatar_key = $2, updated_at = now() WHERE id = $1"
SELECT_KEYS_IN_USE = "SELECT avatar_key FROM users WHERE avatar_key = ANY($1::text[])"


async def get_avatar_key(conn: Connection, user_id: uuid.UUID) -> str | None:
    """The user's avatar key; None without an avatar or without such a user."""
    key: str | None = await conn.fetchval(SELECT_AVATAR_KEY, user_id)
    return key


async def replace_avatar_key(conn: Connection, user_id: uuid.UUID, key: str | None) -> str | None:
    """Set (or with None, clear) the avatar key and return the previous one. Locks the user's row
    until the transaction ends, so concurrent replacements each see the key the other wrote."""
    row = await conn.fetchrow(SELECT_AVATAR_KEY_FOR_UPDATE, user_id)
    if row is None:
        raise NotFound("user_not_found", "No such user")
    await conn.execute(UPDATE_AVATAR_KEY, user_id, key)
    previous: str | None = row["avatar_key"]
    return previous


async def keys_in_use(conn: Connection, keys: list[str]) -> set[str]:
    """Those of ``keys`` that some user's avatar points at."""
    rows = await conn.fetch(SELECT_KEYS_IN_USE, keys)
    return {row["avatar_key"] for row in rows}
