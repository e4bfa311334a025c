"""Areas of expertise: the expertise_areas table."""

from __future__ import annotations

import uuid

import asyncpg

from procus.domain.errors import NotFound
from procus.domain.experts import ExpertiseArea
from procus.domain.money import Money
from procus.store.db import Connection

__all__ = [
    "count_active_areas",
    "get_area",
    "get_area_for_update",
    "insert_area",
    "list_areas",
    "row_to_area",
    "update_area",
]

_COLUMNS = """
    id, expert_id, title, description, category, price_amount, currency, duration_minutes, active, created_at,
    updated_at
"""

SELECT_AREA = f"SELECT {_COLUMNS} FROM expertise_areas WHERE id = $1"
SELECT_AREA_FOR_UPDATE = f"SELECT {_COLUMNS} FROM expertise_areas WHERE id = $1 AND expert_id = $2 FOR UPDATE"
SELECT_AREAS = f"""
SELECT {_COLUMNS} FROM expertise_areas
WHERE expert_id = $1 AND (active OR NOT $2)
ORDER BY active DESC, created_at, id
"""
COUNT_ACTIVE_AREAS = "SELECT count(*) FROM expertise_areas WHERE expert_id = $1 AND active"
INSERT_AREA = f"""
INSERT INTO expertise_areas (expert_id, title, description, category, price_amount, currency, duration_minutes)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING {_COLUMNS}
"""
UPDATE_AREA = f"""
UPDATE expertise_areas SET title = $2, description = $3, category = $4, price_amount = $5, currency = $6,
    duration_minutes = $7, active = $8, updated_at = now()
WHERE id = $1
RETURNING {_COLUMNS}
"""


def row_to_area(row: asyncpg.Record) -> ExpertiseArea:
    return ExpertiseArea(
        id=row["id"],
        expert_id=row["expert_id"],
        title=row["title"],
        description=row["description"],
        category=row["category"],
        price=Money(row["price_amount"], row["currency"]),
        duration_minutes=row["duration_minutes"],
        active=row["active"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _one(row: asyncpg.Record | None) -> ExpertiseArea:
    if row is None:
        raise NotFound("area_not_found", "No such area of expertise")
    return row_to_area(row)


async def get_area(conn: Connection, area_id: uuid.UUID) -> ExpertiseArea:
    """The area, active or not; NotFound if there is none."""
    return _one(await conn.fetchrow(SELECT_AREA, area_id))


async def get_area_for_update(conn: Connection, area_id: uuid.UUID, expert_id: uuid.UUID) -> ExpertiseArea:
    """The expert's own area, row-locked for the rest of the transaction; another expert's is NotFound."""
    return _one(await conn.fetchrow(SELECT_AREA_FOR_UPDATE, area_id, expert_id))


async def list_areas(conn: Connection, expert_id: uuid.UUID, *, active_only: bool) -> list[ExpertiseArea]:
    return [row_to_area(row) for row in await conn.fetch(SELECT_AREAS, expert_id, active_only)]


async def count_active_areas(conn: Connection, expert_id: uuid.UUID) -> int:
    return int(await conn.fetchval(COUNT_ACTIVE_AREAS, expert_id))


async def insert_area(
    conn: Connection,
    expert_id: uuid.UUID,
    *,
    title: str,
    description: str,
    category: str,
    price: Money,
    duration_minutes: int,
) -> ExpertiseArea:
    row = await conn.fetchrow(
        INSERT_AREA, expert_id, title, description, category, price.amount, price.currency, duration_minutes
    )
    return _one(row)


async def update_area(conn: Connection, area: ExpertiseArea) -> ExpertiseArea:
    """Write every editable field of ``area`` (read it with ``get_area_for_update`` first)."""
    row = await conn.fetchrow(
        UPDATE_AREA,
        area.id,
        area.title,
        area.description,
        area.category,
        area.price.amount,
        area.price.currency,
        area.duration_minutes,
        area.active,
    )
    return _one(row)
