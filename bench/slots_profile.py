"""Where GET /slots spends its CPU, next to the bare endpoint: both ASGI apps called in-process.

Seeds the case of ``bench/slots_http.py`` in an embedded PostgreSQL, builds the real app
(``create_app``, every middleware) and ``bench/slots_bare_app.py``, and calls each one's ASGI
handler directly (no HTTP server, no socket), one request at a time: the mean time per request of
each, then a ``cProfile`` of the app, its functions grouped by where they live (our middleware,
Litestar, DI and serialisation, the slot engine, asyncpg). Run with
``uv run python bench/slots_profile.py`` (``--requests``, ``--days``); with
``PROCUS_INTERPRETED_ENGINE=1`` the slot engine runs interpreted (``procus.compiled_engine``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import datetime as dt
import os
import pstats
import statistics
import time
from collections import defaultdict
from typing import Any

from procus import compiled_engine
from slots_http import app_env, bench_database, seed


async def call(app: Any, path: str, query: str) -> int:
    """One GET through the ASGI app; its status."""
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"accept", b"*/*")], "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000), "state": {},
    }  # fmt: skip
    status = 0
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def timed(app: Any, path: str, query: str, requests: int) -> float:
    """This process's CPU milliseconds per request (PostgreSQL's work is another process's), after a warm-up."""
    for _ in range(50):
        assert await call(app, path, query) == 200
    started = time.process_time()
    for _ in range(requests):
        await call(app, path, query)
    return (time.process_time() - started) * 1000 / requests


# Where a profiled function lives -> its group; the first match wins, in this order.
_GROUPS = (
    ("epoll", "waiting in epoll (PostgreSQL's time, not this process's CPU)"),
    ("_socket.socket", "socket reads and writes (system calls)"),
    ("procus/app/middleware", "our middleware (request id, security headers, rate limit)"),
    ("procus/app/metrics", "our middleware (metrics)"),
    ("procus/domain", "slot engine and domain"),
    ("procus/store", "store (SQL calls, pool gate)"),
    ("procus/services", "services"),
    ("procus/", "handlers, DTOs, providers, DI"),
    ("asyncpg", "asyncpg"),
    ("litestar", "Litestar (routing, DI, parsing, response)"),
    ("msgspec", "msgspec"),
    ("asyncio", "event loop"),
    ("selectors", "event loop"),
)


def _group(filename: str, function: str) -> str:
    where = f"{filename} {function}"
    return next((group for needle, group in _GROUPS if needle in where), "other (stdlib, builtins)")


async def profile(app: Any, path: str, query: str, requests: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        await call(app, path, query)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
    groups: dict[str, float] = defaultdict(float)
    for (filename, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
        groups[_group(filename, function)] += row[2]
    print(f"\nself time by group, under cProfile ({requests} requests, {total / requests * 1000:.3f} ms each):")
    for name, seconds in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"  {seconds / total:6.1%}  {seconds / requests * 1e6:8.1f} us/req  {name}")
    print()
    stats.sort_stats("cumulative").print_stats("procus|litestar", 40)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


async def run(database_url: str, requests: int, days: int, rounds: int) -> None:
    os.environ.update(app_env(database_url))
    expert_id, area_id = await seed(database_url)
    from procus.app import create_app
    from slots_bare_app import app as bare

    app = create_app()
    tomorrow = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
    until = tomorrow + dt.timedelta(days=days)
    query = f"area_id={area_id}&from={tomorrow:%Y-%m-%dT%H:%M:%SZ}&to={until:%Y-%m-%dT%H:%M:%SZ}"
    async with app.lifespan(), bare.lifespan():
        app_ms, bare_ms = [], []
        for _ in range(rounds):
            app_ms.append(await timed(app, f"/v1/experts/{expert_id}/slots", query, requests // rounds))
            bare_ms.append(await timed(bare, f"/bare/{expert_id}/slots", query, requests // rounds))
        ratios = sorted(bare / app for app, bare in zip(app_ms, bare_ms, strict=True))
        print(
            f"{days}-day window, in-process, one request at a time: CPU ms per request of this process, median of"
            f" {rounds} alternating rounds of {requests // rounds}; load average {_load()}; slot engine"
            f" {'compiled by mypyc' if compiled_engine.active() else 'interpreted'}"
        )
        print(
            f"  app {statistics.median(app_ms):.3f}   bare {statistics.median(bare_ms):.3f}   bare/app, median of"
            f" the rounds' ratios {statistics.median(ratios):.1%} (quartiles {ratios[len(ratios) // 4]:.1%}"
            f"-{ratios[3 * len(ratios) // 4]:.1%})"
        )
        await profile(app, f"/v1/experts/{expert_id}/slots", query, requests // 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=12, help="alternating rounds of app and bare requests")
    args = parser.parse_args()
    with bench_database("bench-profile-") as (database_url, _):
        asyncio.run(run(database_url, args.requests, args.days, args.rounds))


if __name__ == "__main__":
    main()
