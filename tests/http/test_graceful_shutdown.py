"""SIGTERM to ``procus serve``: requests in flight finish, live notification streams end cleanly, and
the process exits 0 well within the graceful-shutdown bound, with nothing alarming in its log."""

from __future__ import annotations

import asyncio
import signal

import httpx
import pytest

from procus.app.server import GRACEFUL_SHUTDOWN_SECONDS
from procus.config import Settings
from procus.store.db import Database
from tests.support.accounts import bearer, register
from tests.support.notifications import SseReader
from tests.support.procus_processes import procus_process


async def _until_waiting_on_a_lock(db: Database) -> None:
    async with db.connection() as conn:
        for _ in range(200):
            waiting = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if waiting:
                return
            await asyncio.sleep(0.05)
    raise AssertionError("the request never reached the locked table")


async def _until_new_connections_are_refused(base_url: str) -> None:
    """uvicorn closes its listener within moments of the signal (it looks every 0.1 s)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=2) as fresh:
        for _ in range(100):
            try:
                await fresh.get("/healthz", headers={"Connection": "close"})
            except httpx.TransportError:
                return
            await asyncio.sleep(0.05)
    raise AssertionError("new connections were still accepted after SIGTERM")


async def _comments_until_the_end(reader: SseReader) -> list[str]:
    comments: list[str] = []
    while True:
        try:
            comments += (await reader.next(timeout=5)).comments
        except EOFError:
            return comments


@pytest.mark.timeout(180)
async def test_sigterm_lets_the_slow_request_finish_ends_streams_and_exits_0(settings: Settings, db: Database) -> None:
    async with (
        procus_process(settings, "serve", LOG_LEVEL="INFO") as server,
        httpx.AsyncClient(base_url=server.base_url, timeout=30) as http,
    ):
        tokens = await register(http)
        ticket = (await http.post("/v1/notifications/stream-ticket", headers=bearer(tokens))).json()["ticket"]
        async with (
            httpx.AsyncClient(base_url=server.base_url, timeout=30) as streaming,
            streaming.stream("GET", "/v1/notifications/stream", params={"ticket": ticket}) as stream,
        ):
            assert stream.status_code == 200
            reader = SseReader(stream)
            assert "connected" in (await reader.next()).comments

            async with db.transaction() as tx:
                # Bookings, which the stream never reads: the stream keeps working while the request waits.
                await tx.execute("LOCK TABLE bookings IN ACCESS EXCLUSIVE MODE")
                slow = asyncio.create_task(http.get("/v1/bookings", headers=bearer(tokens)))
                await _until_waiting_on_a_lock(db)
                server.process.send_signal(signal.SIGTERM)

                # The stream ends at once (not after the graceful-shutdown timeout) ...
                assert "closed" in await _comments_until_the_end(reader)
                # ... while the slow request is still held by the lock, and no new connection is taken.
                assert not slow.done()
                await _until_new_connections_are_refused(server.base_url)
                assert not slow.done()
            listed = await asyncio.wait_for(slow, 10)

        assert listed.status_code == 200, listed.text
        code, seconds = await server.wait(timeout=GRACEFUL_SHUTDOWN_SECONDS)
        log = server.output()
        assert code == 0, log
        assert seconds < GRACEFUL_SHUTDOWN_SECONDS / 2, log
        assert "Traceback" not in log
        assert "ERROR" not in log
        assert "Cancel" not in log  # uvicorn's "Cancel N running task(s)" when the drain times out
