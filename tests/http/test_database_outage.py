"""PostgreSQL stopped and restarted under load, on its own server so no other test notices.

While it is down: /readyz says not ready, and every request that needs the database is answered
503 problem+json within a bounded time (never a hang, never a 500). Once it is back, the same app
process serves again without a restart, and what was refused left nothing half-written.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import PROJECT_ROOT, Settings
from procus.migrate import migrate
from procus_devstack.embedded_postgres import EmbeddedPostgres, free_port
from tests.conftest import replace
from tests.support.accounts import PASSWORD, bearer, register, unique_email
from tests.support.http_server import serve_in_thread

ANSWER_WITHIN_SECONDS = 10.0


@pytest.fixture
def own_postgres() -> Iterator[EmbeddedPostgres]:
    root = Path(PROJECT_ROOT) / ".data"
    root.mkdir(exist_ok=True)
    server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="postgres-outage-", dir=root)), free_port(), fast=True)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.data_dir, ignore_errors=True)


@pytest.fixture
async def api(own_postgres: EmbeddedPostgres, settings: Settings, integrations: Integrations) -> AsyncIterator[str]:
    url = own_postgres.database_url("postgres")
    await asyncio.to_thread(migrate, url, PROJECT_ROOT / "migrations")
    with serve_in_thread(create_app(replace(settings, database_url=url), integrations)) as base_url:
        yield base_url


class Load:
    """Signed-in reads and public reads in a loop, every answer kept with how long it took."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.answers: list[tuple[float, int, str, float, str]] = []
        self._stop = asyncio.Event()

    async def run(self, path: str, headers: dict[str, str]) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                response = await self.http.get(path, headers=headers)
                status, kind = response.status_code, response.headers.get("content-type", "")
            except httpx.TimeoutException:
                status, kind = 0, "timeout"
            self.answers.append((started, status, kind, time.monotonic() - started, path))
            await asyncio.sleep(0.05)

    def stop(self) -> None:
        self._stop.set()


@pytest.mark.timeout(240)
async def test_postgres_down_then_back_is_503_then_served_again_without_restarting(
    api: str, own_postgres: EmbeddedPostgres
) -> None:
    async with httpx.AsyncClient(base_url=api, timeout=ANSWER_WITHIN_SECONDS * 3) as http:
        tokens = await register(http)
        load = Load(http)
        workers = [
            asyncio.create_task(load.run("/v1/me", bearer(tokens))),
            asyncio.create_task(load.run("/v1/experts", {})),
            asyncio.create_task(load.run("/v1/notifications", bearer(tokens))),
        ]
        await asyncio.sleep(1.0)
        await asyncio.to_thread(own_postgres.stop)
        down_since = time.monotonic()

        ready = await http.get("/readyz")
        assert ready.status_code == 503, ready.text
        refused_email = unique_email()
        refused = await http.post(
            "/v1/auth/register", json={"email": refused_email, "password": PASSWORD, "full_name": "Ada"}
        )
        assert refused.status_code == 503, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "database_unavailable"
        await asyncio.sleep(3.0)

        back_since = time.monotonic()
        await asyncio.to_thread(own_postgres.start)
        for _ in range(200):
            if (await http.get("/readyz")).status_code == 200:
                break
            await asyncio.sleep(0.1)
        assert (await http.get("/readyz")).status_code == 200
        ready_at = time.monotonic()
        await asyncio.sleep(2.0)
        load.stop()
        await asyncio.gather(*workers)

        during = [a for a in load.answers if down_since + 0.5 < a[0] < back_since]
        after = [a for a in load.answers if a[0] > ready_at]
        assert during, "the load ran while the database was down"
        # The directory may still be served from memory; whatever needs the database is a 503.
        assert {status for _, status, *_ in during} <= {200, 503}, during
        assert {status for _, status, *_, path in during if path != "/v1/experts"} == {503}, during
        assert {kind for _, status, kind, *_ in during if status == 503} == {"application/problem+json"}
        assert max(seconds for *_, seconds, _ in during) < ANSWER_WITHIN_SECONDS
        assert [a for a in load.answers if a[1] in (0, 500)] == []
        assert after, "the load ran once the database was back"
        assert {status for _, status, *_ in after} == {200}, after

        # Nothing half-written: the refused registration left no account; a new one works.
        signed_in = await http.post("/v1/auth/login", json={"email": refused_email, "password": PASSWORD})
        assert signed_in.status_code == 401
        again = await register(http, email=refused_email)
        assert (await http.get("/v1/me", headers=bearer(again))).status_code == 200
