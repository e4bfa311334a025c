"""Readiness: can we reach the database, and has it applied every migration we ship?"""

from __future__ import annotations

import msgspec

from procus.store import schema
from procus.store.db import Database

__all__ = ["Readiness", "ReadinessService"]


class Readiness(msgspec.Struct, frozen=True):
    ready: bool
    database: bool
    migrations_current: bool
    pending_migrations: list[str]


class ReadinessService:
    def __init__(self, db: Database, expected_migrations: list[str]) -> None:
        self._db = db
        self._expected = expected_migrations

    async def check(self) -> Readiness:
        try:
            async with self._db.connection() as conn:
                await schema.ping(conn)
                applied = set(await schema.applied_migrations(conn))
        except (OSError, TimeoutError, Exception):  # any failure to reach the DB means "not ready"
            return Readiness(ready=False, database=False, migrations_current=False, pending_migrations=[])
        pending = [v for v in self._expected if v not in applied]
        return Readiness(ready=not pending, database=True, migrations_current=not pending, pending_migrations=pending)
