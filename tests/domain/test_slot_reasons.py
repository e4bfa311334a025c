"""'Why isn't this time bookable?': the explanation agrees with the engine and names the right rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from procus.domain.availability import (
    Availability,
    BookingSettings,
    BusyInterval,
    DateOverride,
    OverrideKind,
    TimeRange,
    WeeklyRule,
)
from procus.domain.slot_reasons import HeldTime, ObstacleKind, explain_start
from procus.domain.slots import is_slot_available
from tests.domain.test_slots_properties import PROPERTY_SETTINGS, Case, cases

K = ObstacleKind


def _held(busy: BusyInterval, share: int) -> HeldTime:
    """A held interval whose call is its middle, so some probes hit only the buffers."""
    length = busy.end - busy.start
    call_start = busy.start + length * share / 4
    return HeldTime(
        busy=busy, call=BusyInterval(call_start, max(call_start + timedelta(seconds=1), busy.end - length / 4))
    )


@PROPERTY_SETTINGS
@given(cases(), st.data())
def test_a_start_has_obstacles_exactly_when_the_engine_refuses_it(case: Case, data: st.DataObject) -> None:
    held = [_held(busy, data.draw(st.integers(0, 1))) for busy in case.busy]
    slots = set(case.engine())
    span = case.window_end - case.window_start
    quarters = max(1, int(span / timedelta(minutes=15)))
    first = case.window_start.replace(second=0, microsecond=0, minute=case.window_start.minute // 15 * 15)
    probes = [first + timedelta(minutes=15 * data.draw(st.integers(0, quarters))) for _ in range(6)]
    probes += [slot for slot in sorted(slots)[:3]]
    for probe in probes:
        explained = explain_start(
            case.availability, held, start=probe, duration_minutes=case.duration_minutes, now=case.now
        )
        engine = is_slot_available(
            case.availability, case.busy, start=probe, duration_minutes=case.duration_minutes, now=case.now
        )
        assert explained.bookable == engine, probe
        assert (not explained.obstacles) == engine, (probe, explained.obstacles)
        if case.window_start <= probe < case.window_end:
            assert engine == (probe in slots)


LAGOS = "Africa/Lagos"  # UTC+1 all year
MONDAY = date(2027, 1, 4)
NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)
HOURS = (WeeklyRule(0, 9 * 60, 12 * 60), WeeklyRule(1, 9 * 60, 12 * 60))


def lagos(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 1, minute, tzinfo=UTC)


def kinds(
    start: datetime,
    *,
    settings: BookingSettings | None = None,
    overrides: tuple[DateOverride, ...] = (),
    held: tuple[HeldTime, ...] = (),
    duration: int = 60,
    now: datetime = NOW,
) -> list[tuple[ObstacleKind, object]]:
    availability = Availability(LAGOS, HOURS, overrides, settings or BookingSettings(min_notice_minutes=0))
    explained = explain_start(availability, held, start=start, duration_minutes=duration, now=now)
    return [(o.kind, o.override_date or o.held_index) for o in explained.obstacles]


def test_an_open_time_has_no_obstacles() -> None:
    assert kinds(lagos(MONDAY, 9)) == []
    assert kinds(lagos(MONDAY, 11)) == []


def test_weekly_hours_notice_horizon_and_grid() -> None:
    assert kinds(lagos(MONDAY, 11, 30)) == [(K.OUTSIDE_WEEKLY_HOURS, None)]
    assert kinds(lagos(MONDAY + timedelta(days=2), 9)) == [(K.OUTSIDE_WEEKLY_HOURS, None)]
    notice = BookingSettings(min_notice_minutes=3 * 1440)
    assert kinds(lagos(MONDAY, 9), settings=notice) == [(K.INSIDE_MINIMUM_NOTICE, None)]
    horizon = BookingSettings(min_notice_minutes=0, horizon_days=2)
    assert kinds(lagos(MONDAY, 9), settings=horizon) == [(K.BEYOND_HORIZON, None)]
    hourly = BookingSettings(min_notice_minutes=0, slot_step_minutes=60)
    assert kinds(lagos(MONDAY, 9, 30), settings=hourly) == [(K.OFF_SLOT_GRID, None)]
    assert kinds(lagos(MONDAY, 9, 7)) == [(K.OFF_SLOT_GRID, None)]


def test_each_kind_of_override_is_named_with_its_date() -> None:
    day_off = (DateOverride(MONDAY, OverrideKind.REPLACE),)
    assert kinds(lagos(MONDAY, 9), overrides=day_off) == [(K.DAY_OFF, MONDAY)]
    afternoon = (DateOverride(MONDAY, OverrideKind.REPLACE, (TimeRange(14 * 60, 16 * 60),)),)
    assert kinds(lagos(MONDAY, 9), overrides=afternoon) == [(K.REPLACED_HOURS, MONDAY)]
    assert kinds(lagos(MONDAY, 14), overrides=afternoon) == []
    taken_out = (DateOverride(MONDAY, OverrideKind.UNAVAILABLE, (TimeRange(10 * 60, 11 * 60),)),)
    assert kinds(lagos(MONDAY, 9, 30), overrides=taken_out) == [(K.HOURS_TAKEN_OUT, MONDAY)]
    assert kinds(lagos(MONDAY, 11), overrides=taken_out) == []


def test_a_booking_and_the_buffers_around_it_are_told_apart() -> None:
    settings = BookingSettings(min_notice_minutes=0, buffer_before_minutes=15, buffer_after_minutes=30)
    call = BusyInterval(lagos(MONDAY, 10), lagos(MONDAY, 11))
    booked = HeldTime(busy=BusyInterval(lagos(MONDAY, 9, 45), lagos(MONDAY, 11, 30)), call=call)
    assert kinds(lagos(MONDAY, 10, 30), settings=settings, held=(booked,)) == [(K.ALREADY_BOOKED, 0)]
    # 11:15 is inside the booking's 30 min after-buffer; 9:00-10:00 would end inside its before-buffer.
    assert kinds(lagos(MONDAY, 11, 15), duration=45, settings=settings, held=(booked,)) == [(K.BUFFER, 0)]
    assert kinds(lagos(MONDAY, 9), settings=settings, held=(booked,)) == [(K.BUFFER, 0)]
    # The new call's own 15 min before-buffer also counts: 11:30-11:45 would start right at the held end.
    assert kinds(lagos(MONDAY, 11, 30), duration=15, settings=settings, held=(booked,)) == [(K.BUFFER, 0)]
    assert kinds(lagos(MONDAY, 11, 45), duration=15, settings=settings, held=(booked,)) == []


def test_several_obstacles_are_all_reported() -> None:
    notice = BookingSettings(min_notice_minutes=5 * 1440)
    day_off = (DateOverride(MONDAY, OverrideKind.REPLACE),)
    found = kinds(lagos(MONDAY, 9, 10), settings=notice, overrides=day_off)
    assert found == [(K.INSIDE_MINIMUM_NOTICE, None), (K.OFF_SLOT_GRID, None), (K.DAY_OFF, MONDAY)]
