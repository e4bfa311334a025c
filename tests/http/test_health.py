from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.config import Settings
from procus.services.health import ReadinessService
from procus.store.db import Database


async def test_healthz_reports_the_process_is_up(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_database_and_migrations(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert body["database"] is True
    assert body["pending_migrations"] == []


async def test_readyz_is_503_when_a_migration_is_missing(client: AsyncTestClient[Litestar], db: Database) -> None:
    async with db.connection() as conn:
        newest = await conn.fetchval("SELECT max(version) FROM schema_migrations")
        await conn.execute("DELETE FROM schema_migrations WHERE version = $1", newest)
    try:
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["pending_migrations"] == [newest]
    finally:
        async with db.connection() as conn:
            await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", newest)


async def test_readyz_is_not_ready_when_the_database_is_unreachable(settings: Settings) -> None:
    db = await Database.connect(settings.database_url, max_size=1)
    await db.close()
    readiness = await ReadinessService(db, ["1"]).check()
    assert readiness.ready is False
    assert readiness.database is False
