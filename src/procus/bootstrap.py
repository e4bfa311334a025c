"""All wiring in one place: settings -> database -> integrations -> services.

The HTTP app, the CLI and the background worker all build their collaborators here, so each
service is constructed the same way wherever it runs.
"""

from __future__ import annotations

import msgspec

from procus.config import Settings
from procus.migrate import available_migrations
from procus.services.health import ReadinessService
from procus.store.db import Database

__all__ = ["Container"]


class Container(msgspec.Struct, kw_only=True):
    settings: Settings
    db: Database
    readiness: ReadinessService

    @classmethod
    async def create(cls, settings: Settings) -> Container:
        db = await Database.connect(settings.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max)
        return cls(
            settings=settings,
            db=db,
            readiness=ReadinessService(db, available_migrations(settings.migrations_dir)),
        )

    async def close(self) -> None:
        await self.db.close()
