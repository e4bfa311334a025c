"""The directory's availability index: the refresh queue and each expert's packed free time.

Triggers (migration ``directory_index``) put an expert in ``directory_refresh_queue`` in the
transaction of any change that can move their free time, and queue a ``directory.refresh`` job;
the listing rows (``directory_listings``) are kept by ``directory_sync_listing()`` in the same
transaction, and again here after each refresh for the next free slot.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import msgspec

from procus.domain.free_time import FreeTime
from procus.store.db import Connection

__all__ = [
    "ExpertOffer",
    "claim_pending",
    "load_offers",
    "lock_experts",
    "queue_refresh",
    "queue_stale",
    "write_free_time",
]

CLAIM_PENDING = """
DELETE FROM directory_refresh_queue
WHERE expert_id IN (
    SELECT expert_id FROM directory_refresh_queue ORDER BY requested_at LIMIT $1 FOR UPDATE SKIP LOCKED
)
RETURNING expert_id
"""
QUEUE_REFRESH = """
INSERT INTO directory_refresh_queue (expert_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING
"""
# Rows whose answer time alone may have changed, and listed experts never computed (or whose areas
# offer a call length not computed yet).
QUEUE_STALE = """
INSERT INTO directory_refresh_queue (expert_id)
SELECT expert_id FROM directory_free_time WHERE fresh_until < $1
UNION
SELECT l.expert_id FROM directory_listings l
WHERE l.category = '' AND NOT EXISTS (
    SELECT 1 FROM directory_free_time f WHERE f.expert_id = l.expert_id AND f.duration_minutes = l.min_duration)
ON CONFLICT DO NOTHING
"""
LOCK_EXPERTS = """
SELECT count(pg_advisory_xact_lock(hashtextextended('directory:' || id::text, 0)))
FROM (SELECT id FROM unnest($1::uuid[]) AS id ORDER BY id) AS sorted
"""
SELECT_OFFERS = """
SELECT p.user_id,
       (p.published AND p.approval = 'approved' AND u.is_active) AS listed,
       ARRAY(SELECT DISTINCT a.duration_minutes FROM expertise_areas a
             WHERE a.expert_id = p.user_id AND a.active ORDER BY 1) AS durations
FROM expert_profiles p JOIN users u ON u.id = p.user_id
WHERE p.user_id = ANY($1::uuid[])
"""
DELETE_FREE_TIME = "DELETE FROM directory_free_time WHERE expert_id = ANY($1::uuid[])"
INSERT_FREE_TIME = """
INSERT INTO directory_free_time (expert_id, duration_minutes, next_free, starts, step_seconds, notice, computed_at,
                                 fresh_until)
SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[]::tstzmultirange[], $5::int[],
                     $6::interval[], $7::timestamptz[], $8::timestamptz[])
"""
SYNC_LISTINGS = "SELECT directory_sync_listings($1::uuid[])"


class ExpertOffer(msgspec.Struct, frozen=True):
    """Whether an expert is listed, and the call lengths of their active areas."""

    expert_id: uuid.UUID
    listed: bool
    durations: tuple[int, ...]


async def claim_pending(conn: Connection, limit: int) -> list[uuid.UUID]:
    """Take up to ``limit`` experts off the refresh queue (oldest requests first)."""
    return [row["expert_id"] for row in await conn.fetch(CLAIM_PENDING, limit)]


async def queue_refresh(conn: Connection, expert_ids: Sequence[uuid.UUID]) -> None:
    await conn.execute(QUEUE_REFRESH, list(expert_ids))


async def queue_stale(conn: Connection, now: dt.datetime) -> None:
    await conn.execute(QUEUE_STALE, now)


async def lock_experts(conn: Connection, expert_ids: Sequence[uuid.UUID]) -> None:
    """Serialise refreshes of the same experts until the end of the transaction (in id order)."""
    await conn.fetchval(LOCK_EXPERTS, list(expert_ids))


async def load_offers(conn: Connection, expert_ids: Sequence[uuid.UUID]) -> list[ExpertOffer]:
    rows = await conn.fetch(SELECT_OFFERS, list(expert_ids))
    return [ExpertOffer(row["user_id"], row["listed"], tuple(row["durations"])) for row in rows]


def _multirange(runs: Sequence[tuple[dt.datetime, dt.datetime]]) -> str:
    return "{" + ",".join(f'["{first.isoformat()}","{last.isoformat()}"]' for first, last in runs) + "}"


async def write_free_time(
    conn: Connection, expert_ids: Sequence[uuid.UUID], free_time: Sequence[tuple[uuid.UUID, FreeTime]]
) -> None:
    """Replace the free time of ``expert_ids`` with ``free_time`` and bring their listing rows up to date."""
    await conn.execute(DELETE_FREE_TIME, list(expert_ids))
    if free_time:
        await conn.execute(
            INSERT_FREE_TIME,
            [expert_id for expert_id, _ in free_time],
            [free.duration_minutes for _, free in free_time],
            [free.next_free for _, free in free_time],
            [_multirange(free.runs) for _, free in free_time],
            [int(free.step.total_seconds()) for _, free in free_time],
            [free.notice for _, free in free_time],
            [free.computed_at for _, free in free_time],
            [free.fresh_until for _, free in free_time],
        )
    await conn.fetchval(SYNC_LISTINGS, list(expert_ids))
