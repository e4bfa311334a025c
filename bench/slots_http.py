"""Benchmark (b): GET /v1/experts/{id}/slots end to end against a bare endpoint running the same SQL.

Starts an embedded PostgreSQL in a temporary data directory, migrates it, seeds one expert with the
case of benchmark (a), ``bench/slots_engine.py`` (America/New_York, 3 ranges a day, 40 date
overrides, 400 busy calls held in ``time_holds``, buffers 10/15 min, 60-minute calls), moved to
start today, then serves side by side, each with uvicorn (1 worker, uvloop, httptools):

* the real app (``procus.app:create_server_app``: every middleware, DI, the slot engine, msgspec), and
* ``bench/slots_bare_app.py``: a bare Litestar route that runs the same two statements and returns
  the raw rows.

Two kinds of load, each from ``bench/loadgen`` (a small Go program, built with ``go build``) on 50
keep-alive connections over loopback, for a one-week window (what the booking page asks for) and a
60-day window (the whole horizon):

* saturation, closed loop: each connection sends its next request as soon as the last one is
  answered, so each endpoint's throughput shows; their ratio is the price of the app's own work;
* fixed rate, open loop: both endpoints are offered the same request rate, a share of the bare
  endpoint's saturation throughput (``--load``, default 25% and 50%), and each request's latency
  counts from the moment it was due, waiting for a free connection included.

Targets (issue 18): the app's p99 under 10 ms at a fixed 50% of the bare endpoint's saturation
throughput, and the app's saturation throughput at least 80% of the bare endpoint's.

Each kind runs 20 s per endpoint, cut into 4 slices that alternate between app and bare so that
drift in the machine's load hits both alike. A closed-loop run's latency is fixed by its
throughput (Little's law: 50 requests always in flight, so mean latency = 50 / throughput), which
is why the latency target is read off the fixed-rate run. Run with ``just bench-slots-http``
(``--duration``, ``--rounds``, ``--warmup`` in seconds, ``--load`` as a fraction).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import math
import os
import shutil
import signal
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

from procus import compiled_engine
from procus.config import PROJECT_ROOT
from procus.domain.availability import Availability, BookingSettings, BusyInterval
from procus.migrate import migrate
from procus.store.availability import replace_availability
from procus_devstack.embedded_postgres import EmbeddedPostgres, free_port
from slots_engine import DURATION_MINUTES as CASE_DURATION
from slots_engine import NOW as CASE_NOW
from slots_engine import build_case

CONNECTIONS = 50
POOL = 2 * (os.cpu_count() or 1)
"""Each server's pool, sized for the machine as PostgreSQL's wiki advises (about twice the cores):
on 2 cores, 10 backends can never run at once, and switching between them put 10-20 ms tails on
the app's requests at a fixed 50% of the bare endpoint's throughput (p99 5.7-16.8 ms with 10
connections, 4.3-6.8 ms with 4, four 5 s runs each). Both endpoints use the same size."""
LOADS = (0.25, 0.5)
LOADGEN_SOURCE = PROJECT_ROOT / "bench" / "loadgen"
LOADGEN = PROJECT_ROOT / ".bin" / "loadgen"
P99_TARGET_MS = 10.0
"""At a fixed rate of 50% of the bare endpoint's saturation throughput (issue 18)."""
P99_TARGET_SHARE = 0.5
RATIO_TARGET = 0.80
APP = "GET /slots (app)"
BARE = "bare SQL endpoint"


def shifted_case() -> tuple[Availability, list[BusyInterval], int]:
    """Benchmark (a)'s case moved by whole days so that its 60 days start today; (.., .., call minutes)."""
    availability, busy, _ = build_case()
    days = dt.timedelta(days=(dt.datetime.now(dt.UTC).date() - CASE_NOW.date()).days)
    overrides = tuple(msgspec.structs.replace(o, date=o.date + days) for o in availability.overrides)
    moved = [BusyInterval(b.start + days, b.end + days) for b in busy]
    return msgspec.structs.replace(availability, overrides=overrides), moved, CASE_DURATION


async def settle(database_url: str) -> None:
    """What autovacuum does after a bulk load, done before measuring rather than during it.

    Seeding leaves new rows whose hint and all-visible bits are not yet set (millions of them, and
    the refresh queue's dead rows, after the directory's index build); autovacuum would work through
    them during the measurement, competing with the requests measured. A live marketplace is
    measured in its steady state: vacuumed and analysed.
    """
    conn = await asyncpg.connect(database_url)
    try:
        started = time.perf_counter()
        await conn.execute("VACUUM (ANALYZE)")
        print(f"    vacuum and analyze: {time.perf_counter() - started:.1f} s", flush=True)
    finally:
        await conn.close()


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


class Load(msgspec.Struct, frozen=True):
    """What one ``bench/loadgen`` run prints: every request's latency, in microseconds."""

    requests: int
    errors: int
    non_2xx: int
    seconds: float
    latencies_us: list[int]
    first_error: str = ""


class Figures(NamedTuple):
    """One endpoint under one kind of load, merged over the rounds."""

    rps: float
    p50_ms: float
    p99_ms: float
    p999_ms: float
    server_cpu_ms: float
    """CPU time of the uvicorn process per request: less moved by other load than throughput."""
    postgres_cpu_ms: float
    slice_p99_ms: tuple[float, ...]
    """The p99 of each slice on its own: a stall of the machine shows as one slice far above the rest,
    in whichever endpoint's slice it fell."""


class Run(NamedTuple):
    endpoint: str
    window: str
    saturated: Figures
    fixed: list[tuple[float, float, Figures]]
    """(share of the bare endpoint's saturation throughput, offered rate, figures) for each fixed rate."""


class Endpoint(NamedTuple):
    name: str
    url: str
    pid: int


_TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _cpu_ms(pids: list[int]) -> float:
    """CPU time of these processes, with that of their children which have exited and been waited
    for: a PostgreSQL backend or autovacuum worker that ends mid-run moves its time into the
    postmaster's total instead of taking it out of the sum."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
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
    with serve_command(command, port, env) as pid:
        yield f"http://127.0.0.1:{port}", pid


@contextmanager
def serve_command(
    command: list[str],
    port: int,
    env: dict[str, str],
    timeout: float = 30,
    log: Path | None = None,
    stop_signal: signal.Signals = signal.SIGTERM,
) -> Iterator[int]:
    """Run a server process until it accepts connections on ``port`` of 127.0.0.1; yield its pid, stop it
    after. With ``log``, its output goes to that file instead of ours."""
    output = log.open("ab") if log is not None else None
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{command[:4]} did not start") from None
                time.sleep(0.1)
        yield process.pid
    finally:
        process.send_signal(stop_signal)
        process.wait(timeout=15)
        if output is not None:
            output.close()


def app_env(database_url: str) -> dict[str, str]:
    """The environment the benchmarks serve the app with: their database, no rate limit, quiet logs."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "APP_ENV": "test",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT_GLOBAL_PER_MINUTE": "1000000000",
        "DB_POOL_MAX": "10",
    }


def build_loadgen() -> None:
    """``go build`` the load generator into ``.bin/`` (a no-op when Go's build cache is warm)."""
    subprocess.run(["go", "build", "-o", str(LOADGEN), "."], cwd=LOADGEN_SOURCE, check=True)


def load(url: str, seconds: float, connections: int, rate: float = 0) -> Load:
    """One loadgen run: a closed loop, or ``rate`` requests per second offered; fails on any error."""
    output = subprocess.run(
        [str(LOADGEN), f"-url={url}", f"-rate={rate:.1f}", f"-duration={seconds}s", f"-connections={connections}"],
        capture_output=True,
        check=True,
    ).stdout
    result = msgspec.json.decode(output, type=Load)
    if result.errors or result.non_2xx:
        raise RuntimeError(f"{result.errors + result.non_2xx} failed requests to {url}, e.g. {result.first_error}")
    return result


def _percentile(ordered: list[int], share: float) -> float:
    """Nearest-rank percentile of microseconds, in milliseconds."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] / 1000


def rounds(endpoints: list[Endpoint], data_dir: Path, args: argparse.Namespace, rate: float = 0) -> dict[str, Figures]:
    """``args.rounds`` alternating slices of ``args.duration / args.rounds`` seconds per endpoint, after
    a warm-up each, merged: drift in the machine's load hits every endpoint alike."""
    for endpoint in endpoints:
        load(endpoint.url, args.warmup, args.connections, rate)
    postgres = _postgres_pids(data_dir)
    loads: dict[str, list[Load]] = {endpoint.name: [] for endpoint in endpoints}
    cpu = dict.fromkeys(loads, 0.0)
    postgres_cpu = dict.fromkeys(loads, 0.0)
    for _ in range(args.rounds):
        for endpoint in endpoints:
            server_before, postgres_before = _cpu_ms([endpoint.pid]), _cpu_ms(postgres)
            loads[endpoint.name].append(load(endpoint.url, args.duration / args.rounds, args.connections, rate))
            cpu[endpoint.name] += _cpu_ms([endpoint.pid]) - server_before
            postgres_cpu[endpoint.name] += _cpu_ms(postgres) - postgres_before
    figures = {}
    for name, runs in loads.items():
        latencies = sorted(latency for run in runs for latency in run.latencies_us)
        requests = sum(run.requests for run in runs)
        figures[name] = Figures(
            rps=requests / sum(run.seconds for run in runs),
            p50_ms=_percentile(latencies, 0.50),
            p99_ms=_percentile(latencies, 0.99),
            p999_ms=_percentile(latencies, 0.999),
            server_cpu_ms=cpu[name] / requests,
            postgres_cpu_ms=postgres_cpu[name] / requests,
            slice_p99_ms=tuple(_percentile(sorted(run.latencies_us), 0.99) for run in runs),
        )
    return figures


@contextmanager
def bench_database(prefix: str) -> Iterator[tuple[str, Path]]:
    """A migrated database in a fresh embedded PostgreSQL under .data/ (removed afterwards):
    (its URL, the data directory)."""
    root = PROJECT_ROOT / ".data"
    root.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix=prefix, dir=root))
    server = EmbeddedPostgres(data_dir, free_port(), fast=True)
    try:
        server.start()
        database_url = server.database_url("procus_bench")
        migrate(database_url, PROJECT_ROOT / "migrations")
        yield database_url, data_dir
    finally:
        server.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def check(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per endpoint and kind (20)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating slices the duration is cut into (4)")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up before each kind of load (3)")
    parser.add_argument("--connections", type=int, default=CONNECTIONS, help="connections (default 50)")
    parser.add_argument(
        "--pool",
        type=int,
        default=POOL,
        help=f"database connections of each server's pool (default {POOL}: twice the cores, see POOL)",
    )
    parser.add_argument(
        "--load",
        type=float,
        nargs="+",
        default=LOADS,
        help="fixed rates as shares of the bare endpoint's saturation throughput (0.25 0.5)",
    )
    parser.add_argument(
        "--interpreted",
        action="store_true",
        help="serve the app with the slot engine interpreted even where its compiled build exists",
    )
    args = parser.parse_args()
    build_loadgen()

    with bench_database("bench-postgres-") as (database_url, data_dir):
        expert_id, area_id = asyncio.run(seed(database_url))
        asyncio.run(settle(database_url))
        env = {**app_env(database_url), "DB_POOL_MAX": str(args.pool)}
        if args.interpreted:
            env[compiled_engine.INTERPRETED_ENV] = "1"
        tomorrow = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=1)
        targets = {
            APP: (["--factory", "procus.app:create_server_app"], f"/v1/experts/{expert_id}/slots"),
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
                endpoints = [
                    Endpoint(name, servers[name][0] + path + query, servers[name][1])
                    for name, (_, path) in targets.items()
                ]
                for endpoint in endpoints:
                    check(endpoint.url)
                saturated = rounds(endpoints, data_dir, args)
                fixed = [
                    (share, rate, rounds(endpoints, data_dir, args, rate))
                    for share in args.load
                    for rate in [saturated[BARE].rps * share]
                ]
                for endpoint in endpoints:
                    by_rate = [(share, rate, figures[endpoint.name]) for share, rate, figures in fixed]
                    runs.append(Run(endpoint.name, window, saturated[endpoint.name], by_rate))
                    print("  measured", runs[-1], flush=True)
        print_table(runs, args)


def _slices(p99s: tuple[float, ...]) -> str:
    return " ".join(f"{p99:.1f}" for p99 in p99s)


def print_table(runs: list[Run], args: argparse.Namespace) -> None:
    print(
        f"\nGET /slots end to end: {args.connections} connections, {args.duration} s of load per endpoint and kind"
        f" in {args.rounds} alternating slices, loopback, {os.cpu_count()} CPUs,"
        f" load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}; the app's slot engine"
        f" {'interpreted' if args.interpreted or not compiled_engine.active() else 'compiled by mypyc'}"
    )
    header = f"{'endpoint':<20}{'window':<9}{'load':<22}{'req/s':>7}{'p50 ms':>9}{'p99 ms':>9}{'p99.9 ms':>10}"
    print(f"{header}{'CPU ms/req':>12}{'PG ms/req':>11}")
    for run in runs:
        loads = [("saturation", run.saturated)]
        loads += [(f"fixed {share:.0%} ({rate:.0f}/s)", figures) for share, rate, figures in run.fixed]
        for label, figures in loads:
            print(
                f"{run.endpoint:<20}{run.window:<9}{label:<22}{figures.rps:>7.0f}{figures.p50_ms:>9.2f}"
                f"{figures.p99_ms:>9.2f}{figures.p999_ms:>10.2f}{figures.server_cpu_ms:>12.3f}"
                f"{figures.postgres_cpu_ms:>11.3f}"
            )
    print()
    bare = {run.window: run for run in runs if run.endpoint == BARE}
    for run in runs:
        if run.endpoint != APP:
            continue
        baseline = bare[run.window].saturated
        ratio = run.saturated.rps / baseline.rps
        cpu_ratio = (baseline.server_cpu_ms + baseline.postgres_cpu_ms) / (
            run.saturated.server_cpu_ms + run.saturated.postgres_cpu_ms
        )
        print(
            f"{run.window:<8} throughput app/bare {ratio:6.1%} (target >= {RATIO_TARGET:.0%}:"
            f" {'ok' if ratio >= RATIO_TARGET else 'MISSED'}; by CPU per request {cpu_ratio:.1%})"
        )
        for share, rate, figures in run.fixed:
            verdict = "ok" if figures.p99_ms < P99_TARGET_MS else "MISSED"
            if share != P99_TARGET_SHARE:
                verdict = "no target at this rate"
            print(
                f"{'':<8} app p99 at a fixed {rate:.0f} req/s ({share:.0%} of bare's saturation throughput):"
                f" {figures.p99_ms:.2f} ms (target < {P99_TARGET_MS:.0f} ms: {verdict})"
            )
            bare_slices = next(entry[2].slice_p99_ms for entry in bare[run.window].fixed if entry[0] == share)
            print(
                f"{'':<10} p99 of each slice in turn, app | bare: {_slices(figures.slice_p99_ms)}"
                f" | {_slices(bare_slices)} ms"
            )
        print(f"{'':<8} app p99 at saturation: {run.saturated.p99_ms:.2f} ms")


if __name__ == "__main__":
    main()
