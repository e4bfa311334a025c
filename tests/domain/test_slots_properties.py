"""The slot engine agrees with the naive oracle on random availabilities, around DST changes too."""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from procus.domain.slots import compute_slot_runs, compute_slots, group_by_local_date, is_slot_available
from tests.domain.slot_oracle import naive_slots

TRANSITION_DAYS = {
    "America/New_York": ["2024-03-10", "2024-11-03", "2025-03-09", "2025-11-02"],
    "Europe/London": ["2024-03-31", "2024-10-27", "2025-03-30", "2025-10-26"],
    "Europe/Dublin": ["2024-03-31", "2024-10-27", "2025-03-30", "2025-10-26"],
    "Australia/Lord_Howe": ["2024-04-07", "2024-10-06", "2025-04-06", "2025-10-05"],
    "America/Santiago": ["2024-04-06", "2024-09-08", "2025-04-05", "2025-09-07"],
    "Asia/Beirut": ["2024-03-31", "2024-10-26", "2025-03-30", "2025-10-25"],
    "Pacific/Chatham": ["2024-04-07", "2024-09-29", "2025-04-06", "2025-09-28"],
    "Asia/Kathmandu": [],
    "UTC": [],
}
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Case:
    availability: Availability
    busy: list[BusyInterval]
    duration_minutes: int
    now: datetime
    window_start: datetime
    window_end: datetime

    def engine(self) -> list[datetime]:
        return compute_slots(
            self.availability,
            self.busy,
            duration_minutes=self.duration_minutes,
            now=self.now,
            window_start=self.window_start,
            window_end=self.window_end,
        )

    def oracle(self) -> list[datetime]:
        return naive_slots(
            self.availability,
            self.busy,
            duration_minutes=self.duration_minutes,
            now=self.now,
            window_start=self.window_start,
            window_end=self.window_end,
        )


def _pair_up(points: set[int]) -> tuple[TimeRange, ...]:
    ordered = sorted(points)
    return tuple(TimeRange(ordered[i] * 15, ordered[i + 1] * 15) for i in range(0, len(ordered) - 1, 2))


_QUARTER_OF_DAY = st.one_of(st.integers(0, 96), st.sampled_from([0, 96]))
DAY_RANGES = st.one_of(
    st.sets(_QUARTER_OF_DAY, max_size=6),
    st.sets(_QUARTER_OF_DAY, min_size=2, max_size=6),
    st.sets(_QUARTER_OF_DAY, min_size=4, max_size=6),
).map(_pair_up)
WEEKLY_RULES = st.tuples(*[DAY_RANGES] * 7).map(
    lambda days: tuple(
        WeeklyRule(weekday, r.start_minute, r.end_minute) for weekday, day in enumerate(days) for r in day
    )
)
OVERRIDE_SHAPES = st.lists(
    st.tuples(st.integers(-2, 6), st.sampled_from(OverrideKind), DAY_RANGES), max_size=4, unique_by=lambda o: o[0]
)


def _overrides(anchor: date, shapes: list[tuple[int, OverrideKind, tuple[TimeRange, ...]]]) -> tuple[DateOverride, ...]:
    result = []
    for offset, kind, ranges in shapes:
        usable_kind = OverrideKind.REPLACE if not ranges else kind
        result.append(DateOverride(anchor + timedelta(days=offset), usable_kind, ranges))
    return tuple(result)


@functools.cache
def offsets(low_seconds: int, high_seconds: int) -> st.SearchStrategy[timedelta]:
    """Offsets that mostly land on, or a microsecond off, the quarter hours where slots start."""
    quarters = st.integers(low_seconds // 900, high_seconds // 900).map(lambda q: timedelta(seconds=900 * q))
    ragged = st.builds(
        timedelta,
        seconds=st.integers(low_seconds, high_seconds),
        microseconds=st.sampled_from([0, 1, 999_999]),
    )
    tick = timedelta(microseconds=1)
    nudged = st.tuples(quarters, st.sampled_from([-tick, tick])).map(lambda pair: pair[0] + pair[1])
    return st.one_of(quarters, quarters, nudged, ragged)


@functools.cache
def minutes(high: int) -> st.SearchStrategy[int]:
    return st.one_of(st.just(0), st.integers(0, high // 15).map(lambda q: 15 * q), st.integers(0, high))


BOOKING_SETTINGS = st.builds(
    BookingSettings,
    min_notice_minutes=st.one_of(minutes(720), minutes(3 * 1440)),
    horizon_days=st.integers(1, 7),
    buffer_before_minutes=minutes(90),
    buffer_after_minutes=minutes(90),
    slot_step_minutes=st.sampled_from([15, 15, 30, 60]),
)
ANY_DAY = st.dates(date(2024, 1, 1), date(2026, 12, 31))
TRANSITION_DAY = {
    zone: st.sampled_from(days or ["2024-06-01"]).map(date.fromisoformat) for zone, days in TRANSITION_DAYS.items()
}
POSITIVE_LENGTH = offsets(1, 5 * 3600).filter(lambda length: length > timedelta(0))
DURATIONS = st.one_of(st.sampled_from([15, 30, 45, 60]), st.sampled_from(range(15, 241, 15)))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    zone = draw(st.sampled_from(sorted(TRANSITION_DAYS)))
    anchor = draw(st.one_of(TRANSITION_DAY[zone], TRANSITION_DAY[zone], ANY_DAY))
    availability = Availability(
        zone, draw(WEEKLY_RULES), _overrides(anchor, draw(OVERRIDE_SHAPES)), draw(BOOKING_SETTINGS)
    )
    validate_availability(availability)

    window_start = datetime.combine(anchor, time(), UTC) + draw(offsets(-36 * 3600, 12 * 3600))
    window_end = window_start + draw(st.one_of(offsets(0, 86400), offsets(86400, 4 * 86400)))
    now = window_start + draw(offsets(-2 * 86400, 4 * 3600))
    busy = []
    for _ in range(draw(st.integers(0, 8))):
        start = window_start + draw(offsets(-6 * 3600, 5 * 86400))
        busy.append(
            BusyInterval(start, start + draw(offsets(1, 5 * 3600).filter(lambda length: length > timedelta(0))))
        )
    duration = draw(st.one_of(st.sampled_from([15, 30, 45, 60]), st.sampled_from(range(15, 241, 15))))
    return Case(availability, busy, duration, now, window_start, window_end)


@PROPERTY_SETTINGS
@given(cases())
def test_engine_matches_naive_oracle(case: Case) -> None:
    slots = case.engine()
    assert slots == case.oracle()
    assert all(slot.tzinfo is UTC for slot in slots)
    assert all(earlier < later for earlier, later in itertools.pairwise(slots))


@PROPERTY_SETTINGS
@given(cases(), st.data())
def test_single_slot_check_agrees_with_listing(case: Case, data: st.DataObject) -> None:
    slots = case.engine()
    quarters = int((case.window_end - case.window_start) / timedelta(minutes=15)) + 1
    first = case.window_start.replace(second=0, microsecond=0, minute=case.window_start.minute // 15 * 15)
    probes = {first + timedelta(minutes=15 * k) for k in range(quarters)}
    probes.add(data.draw(st.sampled_from(sorted(probes))) + timedelta(seconds=1))
    listed = set(slots)
    for probe in sorted(p for p in probes if case.window_start <= p < case.window_end):
        expected = probe in listed
        available = is_slot_available(
            case.availability,
            case.busy,
            start=probe,
            duration_minutes=case.duration_minutes,
            now=case.now,
        )
        assert available == expected, probe


@PROPERTY_SETTINGS
@given(cases())
def test_grouping_by_local_date_keeps_every_instant(case: Case) -> None:
    slots = case.engine()
    zone = case.availability.timezone
    grouped = group_by_local_date(slots, zone)
    assert list(grouped) == sorted(grouped)
    assert sorted(slot for day in grouped.values() for slot in day) == slots
    for day, day_slots in grouped.items():
        assert day_slots
        assert all(slot.astimezone(ZoneInfo(zone)).date() == day for slot in day_slots)


@PROPERTY_SETTINGS
@given(cases())
def test_runs_hold_exactly_the_listed_slots(case: Case) -> None:
    lengths = sorted({case.duration_minutes, 15, 240})
    by_length = compute_slot_runs(
        case.availability,
        case.busy,
        durations=lengths,
        now=case.now,
        window_start=case.window_start,
        window_end=case.window_end,
    )
    step = timedelta(minutes=case.availability.settings.slot_step_minutes)
    for length in lengths:
        runs = by_length[length]
        expanded = [first + step * k for first, last in runs for k in range((last - first) // step + 1)]
        assert all(first <= last and (last - first) % step == timedelta(0) for first, last in runs)
        single = compute_slots(
            case.availability,
            case.busy,
            duration_minutes=length,
            now=case.now,
            window_start=case.window_start,
            window_end=case.window_end,
        )
        assert expanded == single, length


@PROPERTY_SETTINGS
@given(cases(), st.randoms(use_true_random=False))
def test_order_of_rules_and_busy_time_does_not_matter(case: Case, random: Random) -> None:
    """The store hands rules and busy time over sorted, and the engine joins them as they come;
    in any other order it must still give the same answer."""
    rules, busy = list(case.availability.rules), list(case.busy)
    random.shuffle(rules)
    random.shuffle(busy)
    shuffled = Case(
        msgspec.structs.replace(case.availability, rules=tuple(rules)),
        busy,
        case.duration_minutes,
        case.now,
        case.window_start,
        case.window_end,
    )
    assert shuffled.engine() == case.engine()
