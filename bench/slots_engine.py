"""Benchmark: the pure slot engine on a busy expert's 60-day window, against the naive oracle.

The input is the issue's case: an America/New_York expert (the window crosses the November
fall-back) open three ranges every day, with 40 date overrides and 400 busy intervals (blocked
ranges of other bookings, buffers included), asked for 60-minute slots over the whole 60-day
horizon. Both implementations run in this process on the same input; their answers must be
identical. Prints median and p99 per call and the speedup. Run with
``.venv/bin/python bench/slots_engine.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from procus import compiled_engine
from procus.domain.availability import (
    Availability,
    BookingSettings,
    BusyInterval,
    DateOverride,
    OverrideKind,
    TimeRange,
    WeeklyRule,
    validate_availability,
)
from procus.domain.slots import compute_slots

ZONE = "America/New_York"
NOW = dt.datetime(2024, 10, 20, 14, 7, 23, tzinfo=dt.UTC)
DURATION_MINUTES = 60
DAILY_RANGES = ((8 * 60, 12 * 60), (13 * 60, 17 * 60), (18 * 60, 21 * 60))
OVERRIDES = 40
BUSY = 400

Slots = list[dt.datetime]


def build_case(seed: int = 7) -> tuple[Availability, list[BusyInterval], dict[str, dt.datetime]]:
    rng = random.Random(seed)
    settings = BookingSettings(buffer_before_minutes=10, buffer_after_minutes=15)
    rules = tuple(WeeklyRule(weekday, start, end) for weekday in range(7) for start, end in DAILY_RANGES)
    first_day = NOW.date()
    overrides = []
    for offset in sorted(rng.sample(range(1, 60), OVERRIDES)):
        day = first_day + dt.timedelta(days=offset)
        if rng.random() < 0.5:
            start = rng.randrange(6 * 4, 12 * 4) * 15
            overrides.append(DateOverride(day, OverrideKind.REPLACE, (TimeRange(start, start + 4 * 60),)))
        else:
            start = rng.randrange(9 * 4, 16 * 4) * 15
            overrides.append(DateOverride(day, OverrideKind.UNAVAILABLE, (TimeRange(start, start + 90),)))
    availability = Availability(ZONE, rules, tuple(overrides), settings)
    validate_availability(availability)

    busy: list[BusyInterval] = []
    taken: list[tuple[dt.datetime, dt.datetime]] = []
    while len(busy) < BUSY:
        call_start = NOW.replace(minute=0, second=0) + dt.timedelta(minutes=15 * rng.randrange(0, 60 * 24 * 4))
        call_end = call_start + dt.timedelta(minutes=rng.choice((30, 45, 60)))
        blocked = (call_start - dt.timedelta(minutes=10), call_end + dt.timedelta(minutes=15))
        if all(blocked[1] <= other[0] or other[1] <= blocked[0] for other in taken):
            taken.append(blocked)
            busy.append(BusyInterval(*blocked))
    window = {"now": NOW, "window_start": NOW, "window_end": NOW + dt.timedelta(days=60)}
    return availability, busy, window


class Timings(NamedTuple):
    wall_ms: list[float]
    cpu_ms: list[float]


def measure(run: Callable[[], Slots], runs: int, warmup: int) -> tuple[Timings, Slots]:
    """Per-call wall time, and this thread's CPU time, which other load on the machine barely moves."""
    for _ in range(warmup):
        run()
    timings = Timings([], [])
    result: Slots = []
    for _ in range(runs):
        wall, cpu = time.perf_counter_ns(), time.thread_time_ns()
        result = run()
        timings.cpu_ms.append((time.thread_time_ns() - cpu) / 1e6)
        timings.wall_ms.append((time.perf_counter_ns() - wall) / 1e6)
    return timings, result


def p99(timings: list[float]) -> float:
    if len(timings) < 2:
        return timings[0]
    return statistics.quantiles(timings, n=100, method="inclusive")[98]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000, help="timed calls of the engine")
    parser.add_argument("--baseline-runs", type=int, default=5, help="timed calls of the naive oracle")
    args = parser.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    naive_slots = importlib.import_module("tests.domain.slot_oracle").naive_slots

    availability, busy, window = build_case()

    def engine() -> Slots:
        return compute_slots(availability, busy, duration_minutes=DURATION_MINUTES, **window)

    def oracle() -> Slots:
        result: Slots = naive_slots(availability, busy, duration_minutes=DURATION_MINUTES, **window)
        return result

    engine_times, engine_slots = measure(engine, args.runs, warmup=50)
    oracle_times, oracle_slots = measure(oracle, args.baseline_runs, warmup=1)
    if engine_slots != oracle_slots:
        print("MISMATCH: the engine and the oracle disagree on this input", file=sys.stderr)
        return 1

    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    engine = "compiled by mypyc" if compiled_engine.active() else "interpreted"
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, load average {load};"
        f" the engine {engine} (procus.compiled_engine; PROCUS_INTERPRETED_ENGINE=1 for the other)"
    )
    print(
        f"case: {ZONE}, 60-day window from {NOW:%Y-%m-%d %H:%M}Z, {len(availability.rules)} weekly ranges "
        f"(3 a day), {len(availability.overrides)} overrides, {len(busy)} busy intervals, "
        f"{DURATION_MINUTES}-minute calls -> {len(engine_slots)} slots (identical in both)"
    )
    print()
    header = ("implementation", "runs", "wall median", "wall p99", "cpu median", "cpu p99")
    print(f"{header[0]:<28}{header[1]:>6}" + "".join(f"{title + ' ms':>15}" for title in header[2:]))
    for name, timings in (("compute_slots (intervals)", engine_times), ("naive oracle (baseline)", oracle_times)):
        figures = (
            statistics.median(timings.wall_ms),
            p99(timings.wall_ms),
            statistics.median(timings.cpu_ms),
            p99(timings.cpu_ms),
        )
        print(f"{name:<28}{len(timings.wall_ms):>6}" + "".join(f"{figure:>15.3f}" for figure in figures))
    print()
    speedup = statistics.median(oracle_times.wall_ms) / statistics.median(engine_times.wall_ms)
    print(f"speedup (wall median): {speedup:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
