"""Categories: the reference list areas of expertise are filed under."""

from __future__ import annotations

from procus.domain.experts import Category
from procus.store.db import Connection

__all__ = ["category_exists", "list_categories"]

SELECT_CATEGORIES = "SELECT slug, name FROM categories ORDER BY position, slug"
CATEGORY_EXISTS = "SELECT EXISTS (SELECT 1 FROM categories WHERE slug = $1)"


async def list_categories(conn: Connection) -> list[Category]:
    return [Category(row["slug"], row["name"]) for row in await conn.fetch(SELECT_CATEGORIES)]


async def category_exists(conn: Connection, slug: str) -> bool:
    return bool(await conn.fetchval(CATEGORY_EXISTS, slug))
