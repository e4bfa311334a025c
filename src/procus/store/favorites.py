"""Favorite experts: the favorites table with what a list of them shows."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from procus.domain.favorites import Favorite
from procus.store.db import Connection

__all__ = ["add_favorite", "fans_of", "list_favorites", "remove_favorite"]

INSERT_FAVORITE = """
INSERT INTO favorites (user_id, expert_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
"""
DELETE_FAVORITE = "DELETE FROM favorites WHERE user_id = $1 AND expert_id = $2"
SELECT_FAVORITES = """
SELECT f.expert_id, u.full_name, p.headline, u.avatar_key, f.created_at,
       (p.published AND p.approval = 'approved' AND u.is_active) AS listed,
       (SELECT min(a.duration_minutes) FROM expertise_areas a WHERE a.expert_id = f.expert_id AND a.active)
           AS min_duration
FROM favorites f
JOIN users u ON u.id = f.expert_id
JOIN expert_profiles p ON p.user_id = f.expert_id
WHERE f.user_id = $1
ORDER BY f.created_at DESC, f.expert_id
"""
SELECT_FANS = """
SELECT f.user_id FROM favorites f
WHERE f.expert_id = $1 AND NOT EXISTS (
    SELECT 1 FROM blocks b
    WHERE (b.blocker_id = f.user_id AND b.blocked_id = $1) OR (b.blocker_id = $1 AND b.blocked_id = f.user_id)
)
ORDER BY f.user_id
"""


def _to_favorite(row: asyncpg.Record) -> Favorite:
    return Favorite(
        expert_id=row["expert_id"],
        full_name=row["full_name"],
        headline=row["headline"],
        avatar_key=row["avatar_key"],
        listed=row["listed"],
        min_duration_minutes=row["min_duration"],
        favorited_at=row["created_at"],
    )


async def add_favorite(conn: Connection, user_id: uuid.UUID, expert_id: uuid.UUID, now: dt.datetime) -> None:
    await conn.execute(INSERT_FAVORITE, user_id, expert_id, now)


async def remove_favorite(conn: Connection, user_id: uuid.UUID, expert_id: uuid.UUID) -> None:
    await conn.execute(DELETE_FAVORITE, user_id, expert_id)


async def list_favorites(conn: Connection, user_id: uuid.UUID) -> list[Favorite]:
    return [_to_favorite(row) for row in await conn.fetch(SELECT_FAVORITES, user_id)]


async def fans_of(conn: Connection, expert_id: uuid.UUID) -> list[uuid.UUID]:
    """Everyone who favorited ``expert_id`` and is not kept apart from them by a block, in id order."""
    return [row["user_id"] for row in await conn.fetch(SELECT_FANS, expert_id)]
