"""Benchmark: GET /v1/experts (the directory) at 1,000, 10,000 and 100,000 experts.

Starts an embedded PostgreSQL in a temporary data directory (or ``--data-dir``, kept and reused),
migrates it and seeds experts in a few set-based statements (``generate_series``; triggers off,
``time_holds``' indexes and exclusion constraint built once after the load), then computes the
availability index with ``DirectoryIndex``, the code the worker runs, in two processes: 10
categories, 1-4 areas each, 20 time zones, weekday hours, a few days off, and 0-90% of the open
hours of the next 30 days booked (real ``time_holds`` rows). Each phase prints its time and the
load average. The app is served by uvicorn (``procus.app:create_server_app``, one worker).

For each size and query: 20 sequential requests (median, p95), then throughput with 10 concurrent
connections for a few seconds (``bench/loadgen``, closed loop). Queries: the default listing
(rating), a common word, ``sort=price``, ``sort=soonest``, ``free_within_days=3`` with a common
word, ``sort=soonest`` with a category, page 10 of each sort, "free between" (next Tuesday
17:00-20:00 UTC), and price ranges (by rating, by price, and a cheap range by soonest). After the
largest size, a burst of 1,000 bookings (holds inserted in 1,000 transactions over 10
connections, each for a different expert) with a real ``procus worker`` running: how long until
the index has caught up.

Run with ``just bench-directory`` (``--sizes 1000 10000``, ``--seconds``, ``--burst``,
``--index-processes``, ``--seed-only``, ``--data-dir``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import math
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import msgspec

from procus.config import PROJECT_ROOT
from procus.migrate import migrate
from procus.services.experts.directory_index import DirectoryIndex
from procus.store.db import Database
from procus_devstack.embedded_postgres import EmbeddedPostgres, free_port
from slots_http import _cpu_ms, _postgres_pids, app_env, build_loadgen, load, serve, settle

P95_TARGET_MS = 50.0
GROWTH_TARGET = 2.0
CATCH_UP_TARGET_S = 5.0
SEQUENTIAL = 20

SEED_SQL = """
WITH params AS (
    SELECT n,
           (ARRAY['Ada','Bola','Chen','Dami','Eve','Femi','Grace','Hassan','Ife','Jude','Kemi','Lara','Musa',
                  'Ngozi','Omar','Pia','Quinn','Rita','Sade','Tunde'])[1 + (n * 7) % 20] || ' ' ||
           (ARRAY['Adeyemi','Brown','Okafor','Smith','Garcia','Ibrahim','Kim','Lopez','Mensah','Nwosu','Olsen',
                  'Patel','Rossi','Silva','Tanaka','Usman','Vogel','Wang','Yusuf','Zulu'])[1 + (n * 13) % 20]
               AS full_name,
           (ARRAY['UTC','Europe/London','Europe/Paris','Europe/Berlin','Africa/Lagos','Africa/Nairobi',
                  'Africa/Johannesburg','Asia/Dubai','Asia/Kolkata','Asia/Kathmandu','Asia/Singapore','Asia/Tokyo',
                  'Australia/Sydney','Australia/Adelaide','Pacific/Auckland','America/New_York','America/Chicago',
                  'America/Denver','America/Los_Angeles','America/Sao_Paulo'])[1 + (n * 11) % 20] AS zone
    FROM generate_series($1::int, $2::int - 1) AS n
), inserted AS (
    INSERT INTO users (email, full_name, role, time_zone, email_verified_at)
    SELECT 'expert' || n || '@bench.example', full_name, 'expert', zone, now() FROM params
    RETURNING id, email
)
INSERT INTO expert_profiles (user_id, headline, bio, languages, time_zone, published, approval, rating_average,
                             review_count, min_notice_minutes, horizon_days, buffer_before_minutes,
                             buffer_after_minutes, slot_step_minutes)
SELECT i.id,
       (ARRAY['Senior','Certified','Friendly','Experienced','Independent'])[1 + n % 5] || ' ' ||
       (ARRAY['business','software','career','tax','legal','fitness','design','marketing','maths','travel',
              'startup','data'])[1 + (n / 5) % 12] || ' ' ||
       (ARRAY['coach','consultant','mentor','adviser','teacher'])[1 + (n / 60) % 5],
       'I help clients with ' ||
       (ARRAY['business plans','code reviews','job interviews','tax returns','contracts','training plans',
              'brand design','growth marketing','exam preparation','trip planning'])[1 + (n * 3) % 10] ||
       ' and ' ||
       (ARRAY['business strategy','python','salary negotiation','bookkeeping','property law','nutrition',
              'illustration','social media','physics','visas'])[1 + (n * 7) % 10] || '.',
       CASE WHEN n % 4 = 0 THEN ARRAY['en', 'fr'] WHEN n % 7 = 0 THEN ARRAY['en', 'yo'] ELSE ARRAY['en'] END,
       p.zone, true, 'approved',
       CASE WHEN n % 5 = 0 THEN NULL ELSE round((1 + random() * 4)::numeric, 2) END,
       CASE WHEN n % 5 = 0 THEN 0 ELSE 1 + n % 40 END,
       (ARRAY[60, 240, 720])[1 + n % 3], 60, (ARRAY[0, 10, 15])[1 + n % 3], (ARRAY[0, 10, 15])[1 + (n / 3) % 3],
       (ARRAY[15, 30])[1 + n % 2]
FROM inserted i JOIN params p ON 'expert' || p.n || '@bench.example' = i.email
"""
NEW_EXPERTS = """
SELECT u.id, split_part(split_part(u.email, '@', 1), 'expert', 2)::int AS n
FROM users u WHERE u.email LIKE 'expert%@bench.example'
  AND split_part(split_part(u.email, '@', 1), 'expert', 2)::int BETWEEN $1 AND $2 - 1
"""
AREAS_SQL = """
INSERT INTO expertise_areas (expert_id, title, category, price_amount, currency, duration_minutes)
SELECT e.id,
       (ARRAY['Strategy session','Code review','Interview practice','Tax clinic','Contract check','Fitness plan',
              'Portfolio review','Campaign audit','Exam tutoring','Trip planning'])[1 + (e.n + k) % 10],
       (ARRAY['business','technology','career','finance','legal','health','design','marketing','education',
              'lifestyle'])[1 + (e.n * 3 + k * 7) % 10],
       (5 + floor(random() * 995))::bigint * 1000, 'NGN', (ARRAY[30, 45, 60, 90])[1 + (e.n + k) % 4]
FROM unnest($1::uuid[], $2::int[]) AS e(id, n)
CROSS JOIN LATERAL generate_series(0, e.n % 4) AS k
"""
RULES_SQL = """
INSERT INTO availability_rules (expert_id, weekday, start_minute, end_minute)
SELECT e.id, d, (8 + e.n % 3) * 60, (8 + e.n % 3 + 6 + e.n % 4) * 60
FROM unnest($1::uuid[], $2::int[]) AS e(id, n)
CROSS JOIN generate_series(0, CASE WHEN e.n % 6 = 0 THEN 5 ELSE 4 END) AS d
"""
OVERRIDES_SQL = """
INSERT INTO availability_overrides (expert_id, local_date, kind, ranges)
SELECT DISTINCT e.id, current_date + (e.n * 7 + k * 11) % 30, 'replace', '[]'::jsonb
FROM unnest($1::uuid[], $2::int[]) AS e(id, n)
CROSS JOIN generate_series(1, e.n % 3) AS k
"""
# 0-90% of each expert's open hours in the next 30 days, one-hour calls on the hour (local time).
HOLDS_SQL = """
INSERT INTO time_holds (booking_id, kind, holder_id, side, during)
SELECT gen_random_uuid(), 'booking', e.id, 'expert',
       tstzrange(start_at, start_at + interval '1 hour')
FROM unnest($1::uuid[], $2::int[]) AS e(id, n)
JOIN expert_profiles p ON p.user_id = e.id
CROSS JOIN LATERAL (SELECT (e.n * 37 % 91) / 100.0 AS booked) AS share
CROSS JOIN generate_series(1, 30) AS day
CROSS JOIN generate_series(0, 5 + e.n % 4) AS hour
CROSS JOIN LATERAL (
    SELECT ((current_date + day)::timestamp + make_interval(hours => 8 + e.n % 3 + hour)) AT TIME ZONE p.time_zone
) AS s(start_at)
WHERE extract(isodow FROM current_date + day) <= CASE WHEN e.n % 6 = 0 THEN 6 ELSE 5 END
  AND random() < share.booked
"""
# The listing and offer rows are written by the index build (each refresh ends with
# directory_sync_listing for its batch), so seeding does not write them first.
FINISH_SQL = {
    "search documents": "SELECT count(refresh_expert_search(id)) FROM unnest($1::uuid[]) AS id",
    "refresh queue": "INSERT INTO directory_refresh_queue (expert_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING",
}
# The indexes and constraints a bulk load should build once at the end rather than row by row:
# every one on the table but its primary key, as (name, is a constraint, definition).
SECONDARY_INDEXES = """
SELECT i.relname AS name, c.conname IS NOT NULL AS is_constraint,
       coalesce(pg_get_constraintdef(c.oid), pg_get_indexdef(i.oid)) AS definition
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid
WHERE x.indrelid = $1::regclass AND NOT x.indisprimary
"""


@contextlib.asynccontextmanager
async def indexes_built_after(conn: asyncpg.Connection, table: str) -> AsyncIterator[None]:
    """Drop ``table``'s secondary indexes (and the constraints they enforce) for a bulk load into it,
    and build each once afterwards, which also checks each constraint over all the rows."""
    found = await conn.fetch(SECONDARY_INDEXES, table)
    for index in found:
        if index["is_constraint"]:
            await conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {index['name']}")
        else:
            await conn.execute(f"DROP INDEX {index['name']}")
    try:
        yield
    finally:
        with timed(f"{table}: {len(found)} indexes built"):
            for index in found:
                if index["is_constraint"]:
                    await conn.execute(f"ALTER TABLE {table} ADD CONSTRAINT {index['name']} {index['definition']}")
                else:
                    await conn.execute(index["definition"])


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


@contextlib.contextmanager
def timed(name: str) -> Iterator[None]:
    """Print how long the block took, with the load average at its end."""
    started = time.perf_counter()
    yield
    print(f"    {name:<48}{time.perf_counter() - started:>8.1f} s   load average {load_average()}", flush=True)


async def seed(database_url: str, first: int, end: int) -> float:
    """Experts number ``first`` to ``end - 1``, in a few set-based statements; returns the seconds it took.

    Triggers are off while seeding (``session_replication_role = replica``, which skips foreign-key
    checks too): what they would maintain row by row (search documents, the refresh queue) is
    written for all new experts at once, and ``build_index`` then computes the availability index
    in batches with the worker's code, which also writes each expert's listing and offer rows. The
    holds go in with ``time_holds``' secondary indexes (the exclusion constraint's GiST above all)
    dropped, built once afterwards.
    """
    started = time.perf_counter()
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("SET maintenance_work_mem = '1GB'")
        await conn.execute("SET session_replication_role = replica")
        await conn.execute("SELECT setseed($1)", first / 1e6)
        with timed(f"users and profiles: {end - first}"):
            await conn.execute(SEED_SQL, first, end)
        rows = await conn.fetch(NEW_EXPERTS, first, end)
        ids, numbers = [row["id"] for row in rows], [row["n"] for row in rows]
        for name, statement in (("areas", AREAS_SQL), ("weekly hours", RULES_SQL), ("date overrides", OVERRIDES_SQL)):
            with timed(name):
                status = await conn.execute(statement, ids, numbers)
            print(f"      {status.split()[-1]} rows", flush=True)
        async with indexes_built_after(conn, "time_holds"):
            with timed("booked hours: time_holds"):
                status = await conn.execute(HOLDS_SQL, ids, numbers)
            print(f"      {status.split()[-1]} rows", flush=True)
        for name, statement in FINISH_SQL.items():
            with timed(name):
                await conn.execute(statement, ids)
        await conn.execute("SET session_replication_role = origin")
        with timed("analyze"):
            await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def seeded_experts(database_url: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        count: int = await conn.fetchval("SELECT count(*) FROM users WHERE email LIKE 'expert%@bench.example'")
        return count
    finally:
        await conn.close()


def _drain_queue(database_url: str) -> int:
    """One process's share of the index build: refresh queued experts until the queue is empty."""
    from procus.services.ports.clock import SystemClock

    async def drain() -> int:
        db = await Database.connect(database_url, max_size=2)
        try:
            return await DirectoryIndex(db, SystemClock()).refresh_pending()
        finally:
            await db.close()

    return asyncio.run(drain())


def build_index(database_url: str, processes: int) -> tuple[float, int]:
    """Drain the refresh queue with the worker's code (``DirectoryIndex.refresh_pending``, batches of
    200 claimed with SKIP LOCKED) in ``processes`` processes at once; (seconds, experts refreshed)."""
    started = time.perf_counter()
    if processes == 1:
        done = _drain_queue(database_url)
    else:
        context = multiprocessing.get_context("spawn")
        with context.Pool(processes) as pool:
            done = sum(pool.map(_drain_queue, [database_url] * processes))
    return time.perf_counter() - started, done


def _get(url: str) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, msgspec.json.decode(body)


def queries(base: str) -> dict[str, str]:
    now = dt.datetime.now(dt.UTC)
    tuesday = (now + dt.timedelta(days=(1 - now.weekday()) % 7 or 7)).replace(
        hour=17, minute=0, second=0, microsecond=0
    )
    between = urllib.parse.urlencode(
        {
            "free_from": tuesday.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "free_to": (tuesday + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    listing = f"{base}/v1/experts"
    return {
        "default listing (rating)": f"{listing}",
        "q = a common word": f"{listing}?q=business",
        "sort=price": f"{listing}?sort=price",
        "sort=soonest": f"{listing}?sort=soonest",
        "free_within_days=3 + common word": f"{listing}?q=business&free_within_days=3",
        "sort=soonest + category": f"{listing}?sort=soonest&category=legal",
        "free between (Tue 17-20 UTC)": f"{listing}?{between}&sort=soonest",
        "price 100-300k (rating)": f"{listing}?min_price=100000&max_price=300000&sort=rating",
        "price 100-300k, sort=price": f"{listing}?min_price=100000&max_price=300000&sort=price",
        "price up to 50k, sort=soonest": f"{listing}?max_price=50000&currency=NGN&sort=soonest",
        "page 10: rating": f"{listing}?sort=rating#10",
        "page 10: relevance (common word)": f"{listing}?q=business#10",
        "page 10: price": f"{listing}?sort=price#10",
        "page 10: soonest": f"{listing}?sort=soonest#10",
    }


def resolve(url: str) -> str:
    """``...#10`` means: the URL of page 10, following next_cursor from page 1."""
    if "#" not in url:
        return url
    url, page = url.split("#")
    for _ in range(int(page) - 1):
        _, body = _get(url)
        cursor = body["next_cursor"]
        if not isinstance(cursor, str):
            return url  # fewer pages than asked: the last one
        base = url.split("&cursor=")[0]
        url = f"{base}{'&' if '?' in base else '?'}cursor={urllib.parse.quote(cursor)}"
    return url


class Figures(msgspec.Struct, frozen=True):
    median_ms: float
    p95_ms: float
    rps: float
    items: int
    cpu_ms: float
    """CPU time of the app and PostgreSQL per request under the concurrent load: what a request
    costs, which other work on a shared machine moves much less than its latency."""


def measure(url: str, seconds: float, pids: list[int]) -> Figures:
    url = resolve(url)
    _get(url)
    timings = []
    items = 0
    for _ in range(SEQUENTIAL):
        elapsed, body = _get(url)
        timings.append(elapsed)
        items = len(body["items"])  # type: ignore[arg-type]
    timings.sort()
    p95 = timings[max(0, math.ceil(0.95 * len(timings)) - 1)]
    before = _cpu_ms(pids)
    result = load(url, seconds, 10)
    cpu = (_cpu_ms(pids) - before) / result.requests
    return Figures(statistics.median(timings), p95, result.requests / result.seconds, items, cpu)


async def _book_and_wait(pool: asyncpg.Pool, experts: list[asyncpg.Record], limit: float) -> tuple[float, float]:
    """Hold each expert's next free 15 minutes at once; (seconds to insert, seconds until the index
    shows none of those next free slots and nothing is queued), both from the first insert."""
    started = time.perf_counter()

    async def book(expert_id: object, start: dt.datetime) -> None:
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO time_holds (booking_id, kind, holder_id, side, during) SELECT gen_random_uuid(),"
                " 'booking', $1, 'expert', tstzrange($2::timestamptz, $2::timestamptz + interval '15 minutes')",
                expert_id,
                start,
            )

    await asyncio.gather(*(book(row["expert_id"], row["next_free"]) for row in experts))
    inserted = time.perf_counter() - started
    while True:
        stale = await pool.fetchval(
            "SELECT count(*) FROM unnest($1::uuid[], $2::timestamptz[]) AS b(id, old)"
            " JOIN directory_free_time f ON f.expert_id = b.id AND f.next_free = b.old",
            [row["expert_id"] for row in experts],
            [row["next_free"] for row in experts],
        )
        queued = await pool.fetchval("SELECT count(*) FROM directory_refresh_queue")
        if not stale and not queued:
            return inserted, time.perf_counter() - started
        if time.perf_counter() - started > limit:
            raise RuntimeError(f"not caught up after {limit:.0f} s: {stale} stale, {queued} queued")
        await asyncio.sleep(0.02)


async def burst(database_url: str, count: int) -> tuple[float, float]:
    """``count`` one-hour holds for ``count`` experts at once, with ``procus worker`` running (first
    checked to be up with one booking); (seconds to insert, seconds until caught up)."""
    pool = await asyncpg.create_pool(database_url, min_size=10, max_size=10)
    try:
        experts = await pool.fetch(
            "SELECT f.expert_id, f.next_free FROM directory_free_time f JOIN directory_listings l"
            " ON l.expert_id = f.expert_id AND l.category = '' AND l.min_duration = f.duration_minutes"
            " WHERE f.next_free IS NOT NULL ORDER BY random() LIMIT $1",
            count + 1,
        )
        # The seeded holds have no bookings rows: no foreign-key checks here, only the index's trigger.
        await pool.execute("ALTER TABLE time_holds DISABLE TRIGGER ALL")
        await pool.execute("ALTER TABLE time_holds ENABLE TRIGGER directory_time_holds")
        _, ready = await _book_and_wait(pool, experts[:1], 120)
        print(f"worker up and refreshing ({ready:.2f} s for the first booking)", flush=True)
        return await _book_and_wait(pool, experts[1:], 120)
    finally:
        await pool.execute("ALTER TABLE time_holds ENABLE TRIGGER ALL")
        await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seconds", type=float, default=4.0, help="seconds of load at 10 connections per query")
    parser.add_argument("--burst", type=int, default=1000, help="bookings in the burst after the largest size")
    parser.add_argument("--index-processes", type=int, default=2, help="processes computing the index at seeding")
    parser.add_argument("--seed-only", action="store_true", help="seed and build the index, measure nothing")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the database here and reuse what an earlier run seeded (default: a temporary one, removed)",
    )
    args = parser.parse_args()
    build_loadgen()
    root = PROJECT_ROOT / ".data"
    root.mkdir(exist_ok=True)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-directory-", dir=root))
    server = EmbeddedPostgres(data_dir, free_port(), fast=True)
    results: dict[int, dict[str, Figures]] = {}
    print(f"{os.cpu_count()} CPUs; load average {load_average()}; free disk:", flush=True)
    subprocess.run(["df", "-h", str(root)], check=False)
    try:
        server.start()
        database_url = server.database_url("procus_bench")
        migrate(database_url, PROJECT_ROOT / "migrations")
        env = app_env(database_url)
        seeded = asyncio.run(seeded_experts(database_url))
        for size in sorted(args.sizes):
            if size < seeded:
                print(f"{size} experts: skipped, the database at {data_dir} holds {seeded}", flush=True)
                continue
            if size > seeded:
                print(f"seeding experts {seeded} to {size - 1}", flush=True)
                seconds = asyncio.run(seed(database_url, seeded, size))
                built, refreshed = build_index(database_url, args.index_processes)
                asyncio.run(settle(database_url))
                print(
                    f"{size} experts: seeded {size - seeded} in {seconds:.1f} s; index computed for {refreshed}"
                    f" experts in {built:.1f} s ({built / max(refreshed, 1) * 1000:.2f} ms each, "
                    f"{args.index_processes} processes); load average {load_average()}",
                    flush=True,
                )
                seeded = size
            if args.seed_only:
                continue
            with serve(["--factory", "procus.app:create_server_app"], env) as (base, app_pid):
                pids = [app_pid, *_postgres_pids(data_dir)]
                results[size] = {}
                for name, url in queries(base).items():
                    results[size][name] = figures = measure(url, args.seconds, pids)
                    print(
                        f"  {name:<36}{figures.median_ms:>8.1f}{figures.p95_ms:>8.1f}{figures.rps:>8.0f}"
                        f"{figures.cpu_ms:>8.2f}  ({figures.items} items; load average {load_average()})",
                        flush=True,
                    )
        catch_up = None
        if args.burst and not args.seed_only:
            worker = subprocess.Popen(
                [str(Path(sys.executable).with_name("procus")), "worker"], env=env, cwd=PROJECT_ROOT
            )
            try:
                catch_up = asyncio.run(burst(database_url, args.burst))
            finally:
                worker.terminate()
                worker.wait(timeout=30)
        if results:
            print_table(results, catch_up, args)
    finally:
        server.stop()
        if args.data_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


def print_table(
    results: dict[int, dict[str, Figures]], catch_up: tuple[float, float] | None, args: argparse.Namespace
) -> None:
    sizes = sorted(results)
    print(
        f"\nGET /v1/experts: median and p95 of {SEQUENTIAL} sequential requests (ms), then req/s at 10 connections"
        f" for {args.seconds:.0f} s; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
    )
    header = f"{'query':<36}" + "".join(f"{f'{size:,} experts':>34}" for size in sizes)
    print(header)
    print(f"{'':<36}" + "".join(f"{'median':>9}{'p95':>8}{'req/s':>9}{'CPU ms':>8}" for _ in sizes))
    names = list(results[sizes[0]])
    for name in names:
        row = "".join(
            f"{results[size][name].median_ms:>9.1f}{results[size][name].p95_ms:>8.1f}{results[size][name].rps:>9.0f}"
            f"{results[size][name].cpu_ms:>8.2f}"
            for size in sizes
        )
        print(f"{name:<36}{row}")
    largest, smallest = sizes[-1], sizes[0]
    worst_p95 = max(results[largest].values(), key=lambda f: f.p95_ms)
    slowest_name = max(names, key=lambda n: results[largest][n].p95_ms)
    print(
        f"\nworst p95 at {largest:,} experts: {worst_p95.p95_ms:.1f} ms ({slowest_name});"
        f" target < {P95_TARGET_MS:.0f} ms: {'ok' if worst_p95.p95_ms < P95_TARGET_MS else 'MISSED'}"
    )
    growth = {n: results[largest][n].median_ms / results[smallest][n].median_ms for n in names}
    worst = max(growth, key=lambda n: growth[n])
    print(
        f"growth of the median from {smallest:,} to {largest:,}: at most {growth[worst]:.2f}x ({worst});"
        f" target <= {GROWTH_TARGET:.0f}x: {'ok' if growth[worst] <= GROWTH_TARGET else 'MISSED'}"
    )
    cpu_growth = {n: results[largest][n].cpu_ms / results[smallest][n].cpu_ms for n in names}
    worst_cpu = max(cpu_growth, key=lambda n: cpu_growth[n])
    print(f"growth of the CPU time per request: at most {cpu_growth[worst_cpu]:.2f}x ({worst_cpu})")
    if catch_up is not None:
        inserted, caught = catch_up
        print(
            f"burst of {args.burst} bookings: inserted in {inserted:.2f} s, index caught up {caught:.2f} s after the"
            f" first; target < {CATCH_UP_TARGET_S:.0f} s: {'ok' if caught < CATCH_UP_TARGET_S else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
