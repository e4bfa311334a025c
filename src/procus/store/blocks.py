"""Blocks between users, and the checks that keep blocked pairs apart.

Blocking and booking serialize on the two users' rows: a block locks both rows FOR UPDATE, and a
booking's insert takes FOR KEY SHARE on them through its foreign keys before it asks
:func:`blocked_between`. So either the booking committed first (and the block then cancels it), or
the booking's check runs after the block committed and sees it.
"""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from procus.domain.blocks import Block
from procus.domain.errors import NotFound
from procus.store.db import Connection

__all__ = [
    "blocked_between",
    "delete_block",
    "future_bookings_between",
    "get_block",
    "list_blocks",
    "lock_pair",
    "upsert_block",
]

LOCK_PAIR = "SELECT id FROM users WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE"
UPSERT_BLOCK = """
INSERT INTO blocks (blocker_id, blocked_id, reason, created_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (blocker_id, blocked_id) DO UPDATE SET reason = excluded.reason
"""
DELETE_BLOCK = "DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2"
BLOCKED_BETWEEN = """
SELECT EXISTS (
    SELECT 1 FROM blocks
    WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)
)
"""
_BLOCK_FROM = """
SELECT b.blocker_id, r.full_name AS blocker_name, b.blocked_id, d.full_name AS blocked_name, b.reason, b.created_at
FROM blocks b JOIN users r ON r.id = b.blocker_id JOIN users d ON d.id = b.blocked_id
"""
SELECT_BLOCK = f"{_BLOCK_FROM} WHERE b.blocker_id = $1 AND b.blocked_id = $2"
SELECT_BLOCKS = f"""{_BLOCK_FROM}
WHERE ($1::uuid IS NULL OR b.blocker_id = $1) AND ($2::uuid IS NULL OR b.blocker_id = $2 OR b.blocked_id = $2)
ORDER BY b.created_at DESC, b.blocker_id, b.blocked_id
LIMIT $3
"""
FUTURE_BOOKINGS_BETWEEN = """
SELECT b.id FROM bookings b JOIN calls c ON c.id = b.call_id
WHERE ((b.client_id = $1 AND b.expert_id = $2) OR (b.client_id = $2 AND b.expert_id = $1))
  AND b.status IN ('pending', 'confirmed', 'reschedule_proposed') AND c.starts_at > $3
ORDER BY b.id
"""


def _to_block(row: asyncpg.Record) -> Block:
    return Block(
        blocker_id=row["blocker_id"],
        blocker_name=row["blocker_name"],
        blocked_id=row["blocked_id"],
        blocked_name=row["blocked_name"],
        reason=row["reason"],
        created_at=row["created_at"],
    )


async def lock_pair(conn: Connection, a: uuid.UUID, b: uuid.UUID) -> None:
    """Lock both users' rows (in id order); NotFound unless both exist."""
    rows = await conn.fetch(LOCK_PAIR, [a, b])
    if len(rows) != 2:
        raise NotFound.no_such("user")


async def upsert_block(
    conn: Connection, blocker_id: uuid.UUID, blocked_id: uuid.UUID, reason: str, now: dt.datetime
) -> None:
    await conn.execute(UPSERT_BLOCK, blocker_id, blocked_id, reason, now)


async def delete_block(conn: Connection, blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> bool:
    return bool(await conn.execute(DELETE_BLOCK, blocker_id, blocked_id) != "DELETE 0")


async def blocked_between(conn: Connection, a: uuid.UUID, b: uuid.UUID) -> bool:
    """Whether either user blocked the other."""
    return bool(await conn.fetchval(BLOCKED_BETWEEN, a, b))


async def get_block(conn: Connection, blocker_id: uuid.UUID, blocked_id: uuid.UUID) -> Block:
    row = await conn.fetchrow(SELECT_BLOCK, blocker_id, blocked_id)
    if row is None:
        raise NotFound.no_such("block")
    return _to_block(row)


async def list_blocks(
    conn: Connection, *, blocker_id: uuid.UUID | None = None, involving: uuid.UUID | None = None, limit: int = 200
) -> list[Block]:
    return [_to_block(row) for row in await conn.fetch(SELECT_BLOCKS, blocker_id, involving, limit)]


async def future_bookings_between(conn: Connection, a: uuid.UUID, b: uuid.UUID, now: dt.datetime) -> list[uuid.UUID]:
    """The pair's bookings, either way round, still on (requested, confirmed or being moved) and not started."""
    return [row["id"] for row in await conn.fetch(FUTURE_BOOKINGS_BETWEEN, a, b, now)]
