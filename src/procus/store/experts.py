"""Expert profiles: the expert_profiles table with the owner's name from users."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg

from procus.domain.cursors import TimeCursor
from procus.domain.errors import NotFound
from procus.domain.experts import ApprovalStatus, ExpertProfile
from procus.store.db import Connection
from procus.store.keyset import Keyset

__all__ = [
    "get_listed_profile",
    "get_profile",
    "insert_empty_profile",
    "list_by_approval",
    "set_approval",
    "update_profile",
]

_COLUMNS = """
    p.user_id, u.full_name, p.headline, p.bio, p.languages, p.time_zone, p.published, p.approval::text AS approval,
    p.approval_reason, p.approval_decided_at, p.rating_average, p.review_count, p.created_at, p.updated_at
"""

INSERT_EMPTY_PROFILE = """
INSERT INTO expert_profiles (user_id, time_zone) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING
"""
SELECT_PROFILE = f"SELECT {_COLUMNS} FROM expert_profiles p JOIN users u ON u.id = p.user_id WHERE p.user_id = $1"
SELECT_LISTED_PROFILE = f"""
SELECT {_COLUMNS} FROM expert_profiles p JOIN users u ON u.id = p.user_id
WHERE p.user_id = $1 AND p.published AND p.approval = 'approved' AND u.is_active
"""
UPDATE_PROFILE = f"""
WITH p AS (
    UPDATE expert_profiles SET headline = coalesce($2, headline), bio = coalesce($3, bio),
        languages = coalesce($4, languages), time_zone = coalesce($5, time_zone),
        published = coalesce($6, published), updated_at = now()
    WHERE user_id = $1
    RETURNING *
)
SELECT {_COLUMNS} FROM p JOIN users u ON u.id = p.user_id
"""
UPDATE_APPROVAL = f"""
WITH p AS (
    UPDATE expert_profiles SET approval = $2::expert_approval, approval_reason = $3, approval_decided_by = $4,
        approval_decided_at = $5, updated_at = now()
    WHERE user_id = $1
    RETURNING *
)
SELECT {_COLUMNS} FROM p JOIN users u ON u.id = p.user_id
"""

_LONGEST_WAITING = Keyset("p.updated_at", "p.user_id", newest_first=False)
SELECT_BY_APPROVAL = f"""
SELECT {_COLUMNS} FROM expert_profiles p JOIN users u ON u.id = p.user_id
WHERE p.approval = $1::expert_approval AND u.role = 'expert'
  {_LONGEST_WAITING.page(2)}
"""


def _to_profile(row: asyncpg.Record) -> ExpertProfile:
    return ExpertProfile(
        user_id=row["user_id"],
        full_name=row["full_name"],
        headline=row["headline"],
        bio=row["bio"],
        languages=tuple(row["languages"]),
        time_zone=row["time_zone"],
        published=row["published"],
        approval=ApprovalStatus(row["approval"]),
        approval_reason=row["approval_reason"],
        approval_decided_at=row["approval_decided_at"],
        rating_average=row["rating_average"],
        review_count=row["review_count"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _one(row: asyncpg.Record | None) -> ExpertProfile:
    if row is None:
        raise NotFound.no_such("expert")
    return _to_profile(row)


async def insert_empty_profile(conn: Connection, user_id: uuid.UUID, time_zone: str) -> None:
    await conn.execute(INSERT_EMPTY_PROFILE, user_id, time_zone)


async def get_profile(conn: Connection, user_id: uuid.UUID) -> ExpertProfile:
    return _one(await conn.fetchrow(SELECT_PROFILE, user_id))


async def get_listed_profile(conn: Connection, user_id: uuid.UUID) -> ExpertProfile:
    """The profile if the marketplace shows it (published, approved, account active), else NotFound."""
    return _one(await conn.fetchrow(SELECT_LISTED_PROFILE, user_id))


async def update_profile(
    conn: Connection,
    user_id: uuid.UUID,
    *,
    headline: str | None = None,
    bio: str | None = None,
    languages: Sequence[str] | None = None,
    time_zone: str | None = None,
    published: bool | None = None,
) -> ExpertProfile:
    """Change the given fields; ``None`` keeps a field as it is."""
    langs = list(languages) if languages is not None else None
    return _one(await conn.fetchrow(UPDATE_PROFILE, user_id, headline, bio, langs, time_zone, published))


async def set_approval(
    conn: Connection,
    user_id: uuid.UUID,
    status: ApprovalStatus,
    *,
    reason: str,
    decided_by: uuid.UUID,
    at: dt.datetime,
) -> ExpertProfile:
    return _one(await conn.fetchrow(UPDATE_APPROVAL, user_id, status.value, reason, decided_by, at))


async def list_by_approval(
    conn: Connection, approval: ApprovalStatus, after: TimeCursor | None, limit: int
) -> list[ExpertProfile]:
    """Profiles in one approval state, longest waiting first (by their last change), up to ``limit`` rows."""
    rows = await conn.fetch(SELECT_BY_APPROVAL, approval.value, *_LONGEST_WAITING.args(after), limit)
    return [_to_profile(row) for row in rows]
