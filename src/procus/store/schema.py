"""What the database says about its own schema: which migrations it has applied."""

from __future__ import annotations

from procus.store.db import Connection

__all__ = ["applied_migrations", "ping"]

SELECT_APPLIED_MIGRATIONS = """
SELECT version FROM schema_migrations ORDER BY version
"""

SCHEMA_MIGRATIONS_EXISTS = """
SELECT to_regclass('public.schema_migrations') IS NOT NULL
"""


async def ping(conn: Connection) -> bool:
    return bool(await conn.fetchval("SELECT 1"))


async def applied_migrations(conn: Connection) -> list[str]:
    if not await conn.fetchval(SCHEMA_MIGRATIONS_EXISTS):
        return []
    return [row["version"] for row in await conn.fetch(SELECT_APPLIED_MIGRATIONS)]
