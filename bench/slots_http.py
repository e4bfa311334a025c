"""Benchmark (b): GET /v1/experts/{id}/slots end to end against a bare endpoint running the same SQL.

Starts an embedded PostgreSQL in a temporary data directory, migrates it, seeds one expert with the
case of benchmark (a), ``bench/slots_engine.py`` (America/New_York, 3 ranges a day, 40 date
overrides, 400 busy calls held in ``time_holds``, buffers 10/15 min, 60-minute calls), moved to
start today, then serves side by side, each with uvicorn (1 worker, uvloop, httptools):

* the real app (``procus.app:create_app``: every middleware, DI, the slot engine, msgspec), and
* ``bench/slots_bare_app.py``: a bare Litestar route that runs the same two statements and returns
  the raw rows.

``wrk`` (one thread, 50 connections, loopback) drives them alternately, so drift in the machine's
load hits both alike, each after a short warm-up, for a one-week window (what the booking page
asks for) and a 60-day window (the whole horizon). Prints throughput, p50 and p99 and the ratio of
throughputs. Needs ``wrk`` (``apt-get install -y wrk``). Run with ``just bench-slots-http``
(``--duration`` / ``--warmup`` in seconds to change the defaults of 20 and 3).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import asyncpg
import msgspec

from procus.config import PROJECT_ROOT
from procus.devstack.embedded_postgres import EmbeddedPostgres, free_port
from procus.domain.availability import Availability, BookingSettings, BusyInterval
from procus.migrate import migrate
from procus.store.availability import replace_availability
from slots_engine import DURATION_MINUTES as CASE_DURATION
from slots_engine import NOW as CASE_NOW
from slots_engine import build_case

CONNECTIONS = 50
P99_TARGET_MS = 25.0
RATIO_TARGET = 0.60
APP = "GET /slots (app)"
BARE = "bare SQL endpoint"


def shifted_case() -> tuple[Availability, list[BusyInterval], int]:
    """Benchmark (a)'s case moved by whole days so that its 60 days start today; (.., .., call minutes)."""
    availability, busy, _ = build_case()
    days = dt.timedelta(days=(dt.datetime.now(dt.UTC).date() - CASE_NOW.date()).days)
    overrides = tuple(msgspec.structs.replace(o, date=o.date + days) for o in availability.overrides)
    moved = [BusyInterval(b.start + days, b.end + days) for b in busy]
    return msgspec.structs.replace(availability, overrides=overrides), moved, CASE_DURATION


async def seed(database_url: str) -> tuple[uuid.UUID, uuid.UUID]:
    """One listed expert with the slot-engine case; returns (expert id, area id)."""
    availability, busy, duration = shifted_case()
    conn = await asyncpg.connect(database_url)
    try:
        async with conn.transaction():
            expert_id = await conn.fetchval(
                "INSERT INTO users (email, full_name, role, time_zone, email_verified_at)"
                " VALUES ('bench-expert@example.com', 'Bench Expert', 'expert', $1, now()) RETURNING id",
                availability.timezone,
            )
            client_id = await conn.fetchval(
                "INSERT INTO users (email, full_name, role) VALUES ('bench-client@example.com', 'Client', 'client')"
                " RETURNING id"
            )
            await conn.execute(
                "INSERT INTO expert_profiles (user_id, headline, time_zone, published, approval)"
                " VALUES ($1, 'Benchmark', $2, true, 'approved')",
                expert_id,
                availability.timezone,
            )
            area_id = await conn.fetchval(
                "INSERT INTO expertise_areas (expert_id, title, category, price_amount, currency, duration_minutes)"
                " VALUES ($1, 'Benchmarking', 'technology', 100000, 'NGN', $2) RETURNING id",
                expert_id,
                duration,
            )
            await replace_availability(conn, expert_id, availability)
            for interval in busy:
                await _hold(conn, expert_id, client_id, area_id, interval, availability.settings)
    finally:
        await conn.close()
    return expert_id, area_id


async def _hold(
    conn: asyncpg.Connection,
    expert_id: uuid.UUID,
    client_id: uuid.UUID,
    area_id: uuid.UUID,
    blocked: BusyInterval,
    settings: BookingSettings,
) -> None:
    """A confirmed booking whose expert-side hold is ``blocked`` (a call widened by the buffers)."""
    call_id, booking_id = uuid.uuid4(), uuid.uuid4()
    starts_at = blocked.start + dt.timedelta(minutes=settings.buffer_before_minutes)
    ends_at = blocked.end - dt.timedelta(minutes=settings.buffer_after_minutes)
    await conn.execute(
        "INSERT INTO calls (id, expert_id, client_id, area_id, starts_at, duration_minutes, ends_at, blocked,"
        " price_amount, currency, platform_fee_bps, room_name)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, tstzrange($8, $9), 100000, 'NGN', 1000, $10)",
        call_id,
        expert_id,
        client_id,
        area_id,
        starts_at,
        (ends_at - starts_at) // dt.timedelta(minutes=1),
        ends_at,
        blocked.start,
        blocked.end,
        f"bench-{call_id}",
    )
    await conn.execute(
        "INSERT INTO bookings (id, call_id, client_id, expert_id, area_id, status, expires_at, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, now(), now())",
        booking_id,
        call_id,
        client_id,
        expert_id,
        area_id,
        starts_at,
    )
    await conn.execute(
        "INSERT INTO time_holds (booking_id, kind, holder_id, side, during)"
        " VALUES ($1, 'booking', $2, 'expert', tstzrange($3, $4))",
        booking_id,
        expert_id,
        blocked.start,
        blocked.end,
    )


class Run(NamedTuple):
    endpoint: str
    window: str
    rps: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    server_cpu_ms: float
    """CPU time of the uvicorn process per request: unlike throughput, barely moved by other load."""
    postgres_cpu_ms: float


_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _cpu_ms(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total * _TICK_MS


def _postgres_pids(data_dir: Path) -> list[int]:
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                children.append(int(stat.parent.name))
        except (FileNotFoundError, ValueError):
            continue
    return [postmaster, *children]


@contextmanager
def serve(target: list[str], env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """Run uvicorn (one worker, in one process) on a free loopback port; yield its base URL and pid."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", *target, "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"server {target} did not start") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        process.wait(timeout=15)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _millis(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip()).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float, int, int]:
    """(requests per second, p50 ms, p99 ms, socket errors, requests); fails on any non-2xx response."""
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"wrk saw error responses for {url}:\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _millis(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _millis(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    return rps, p50, p99, sum(int(n) for n in errors.groups()) if errors else 0, requests


def check(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def measure(name: str, window: str, url: str, server_pid: int, data_dir: Path, args: argparse.Namespace) -> Run:
    check(url)
    wrk(url, args.warmup, args.connections)
    postgres = _postgres_pids(data_dir)
    server_before, postgres_before = _cpu_ms([server_pid]), _cpu_ms(postgres)
    rps, p50, p99, errors, requests = wrk(url, args.duration, args.connections)
    server_cpu = (_cpu_ms([server_pid]) - server_before) / requests
    postgres_cpu = (_cpu_ms(postgres) - postgres_before) / requests
    return Run(name, window, rps, p50, p99, errors, server_cpu, postgres_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds per measured run (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per run (default 3)")
    parser.add_argument("--connections", type=int, default=CONNECTIONS, help="wrk connections (default 50)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")

    root = PROJECT_ROOT / ".data"
    root.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="bench-postgres-", dir=root))
    server = EmbeddedPostgres(data_dir, free_port(), fast=True)
    try:
        server.start()
        database_url = server.database_url("procus_bench")
        migrate(database_url, PROJECT_ROOT / "migrations")
        expert_id, area_id = asyncio.run(seed(database_url))
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "APP_ENV": "test",
            "LOG_LEVEL": "WARNING",
            "RATE_LIMIT_GLOBAL_PER_MINUTE": "1000000000",
            "DB_POOL_MAX": "10",
        }
        tomorrow = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
        targets = {
            APP: (["--factory", "procus.app:create_app"], f"/v1/experts/{expert_id}/slots"),
            BARE: (["--app-dir", "bench", "slots_bare_app:app"], f"/bare/{expert_id}/slots"),
        }
        runs: list[Run] = []
        with serve(targets[APP][0], env) as app_server, serve(targets[BARE][0], env) as bare_server:
            servers = {APP: app_server, BARE: bare_server}
            for window, days in (("7 days", 7), ("60 days", 60)):
                query = (
                    f"?area_id={area_id}&from={tomorrow:%Y-%m-%dT%H:%M:%SZ}"
                    f"&to={tomorrow + dt.timedelta(days=days):%Y-%m-%dT%H:%M:%SZ}"
                )
                for name, (_, path) in targets.items():
                    base, pid = servers[name]
                    runs.append(measure(name, window, base + path + query, pid, data_dir, args))
                    print("  measured", runs[-1], flush=True)
        print_table(runs, args)
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def print_table(runs: list[Run], args: argparse.Namespace) -> None:
    print(
        f"\nGET /slots end to end: wrk 1 thread x {args.connections} connections, {args.duration} s per run,"
        f" loopback, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'endpoint':<20}{'window':<9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'server CPU ms/req':>19}{'postgres CPU ms/req':>21}"
    )
    for run in runs:
        print(
            f"{run.endpoint:<20}{run.window:<9}{run.rps:>8.0f}{run.p50_ms:>9.2f}{run.p99_ms:>9.2f}"
            f"{run.socket_errors:>8}{run.server_cpu_ms:>19.3f}{run.postgres_cpu_ms:>21.3f}"
        )
    print()
    bare = {run.window: run for run in runs if run.endpoint == BARE}
    for run in runs:
        if run.endpoint != APP:
            continue
        ratio = run.rps / bare[run.window].rps
        cpu_ratio = (bare[run.window].server_cpu_ms + bare[run.window].postgres_cpu_ms) / (
            run.server_cpu_ms + run.postgres_cpu_ms
        )
        verdict = "ok" if run.p99_ms < P99_TARGET_MS and ratio >= RATIO_TARGET else "MISSED"
        print(
            f"{run.window:<8} app/bare throughput {ratio:6.1%} (target >= {RATIO_TARGET:.0%}; by CPU per request"
            f" {cpu_ratio:6.1%}), app p99 {run.p99_ms:.2f} ms (target < {P99_TARGET_MS:.0f} ms): {verdict}"
        )


if __name__ == "__main__":
    main()
