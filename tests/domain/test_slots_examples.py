"""Worked examples of the slot engine: DST gaps and folds, odd offsets, overrides, bounds and buffers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from procus.domain.availability import (
    Availability,
    BookingSettings,
    BusyInterval,
    DateOverride,
    OverrideKind,
    TimeRange,
    WeeklyRule,
    blocked_range,
)
from procus.domain.errors import InvalidInput
from procus.domain.slots import compute_slots, group_by_local_date, is_slot_available

MON, SAT, SUN = 0, 5, 6


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def rule(weekday: int, start: str, end: str) -> WeeklyRule:
    return WeeklyRule(weekday, hm(start), hm(end))


def ranges(*pairs: tuple[str, str]) -> tuple[TimeRange, ...]:
    return tuple(TimeRange(hm(start), hm(end)) for start, end in pairs)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def hours(zone: str, *rules: WeeklyRule, overrides: Sequence[DateOverride] = (), **settings: int) -> Availability:
    booking = BookingSettings(**{"min_notice_minutes": 0, "horizon_days": 365, **settings})
    return Availability(zone, tuple(rules), tuple(overrides), booking)


def listing(
    availability: Availability,
    start: str,
    end: str,
    *,
    duration: int = 15,
    busy: Sequence[BusyInterval] = (),
    now: datetime | None = None,
) -> list[datetime]:
    window_start, window_end = utc(start), utc(end)
    return compute_slots(
        availability,
        busy,
        duration_minutes=duration,
        now=now or window_start - timedelta(days=1),
        window_start=window_start,
        window_end=window_end,
    )


def quarter_hours(first: str, last: str) -> list[datetime]:
    start, stop = utc(first), utc(last)
    return [start + timedelta(minutes=15 * k) for k in range(int((stop - start) / timedelta(minutes=15)) + 1)]


class TestFallBack:
    def test_new_york_one_to_two_local_is_two_real_hours(self) -> None:
        slots = listing(hours("America/New_York", rule(SUN, "01:00", "02:00")), "2024-11-03", "2024-11-04")
        assert slots == quarter_hours("2024-11-03T05:00", "2024-11-03T06:45")

    def test_repeated_half_hour_yields_both_instants_once_each(self) -> None:
        slots = listing(hours("America/New_York", rule(SUN, "01:30", "02:00")), "2024-11-03", "2024-11-04")
        assert slots == [
            utc("2024-11-03T05:30"),
            utc("2024-11-03T05:45"),
            utc("2024-11-03T06:30"),
            utc("2024-11-03T06:45"),
        ]
        local = [slot.astimezone(ZoneInfo("America/New_York")) for slot in slots]
        assert [(t.hour, t.minute) for t in local] == [(1, 30), (1, 45), (1, 30), (1, 45)]
        assert len({t.utcoffset() for t in local}) == 2

    def test_grouping_keeps_both_instants_on_their_local_date(self) -> None:
        slots = listing(hours("America/New_York", rule(SUN, "01:30", "02:00")), "2024-11-03", "2024-11-04")
        assert group_by_local_date(slots, "America/New_York") == {date(2024, 11, 3): slots}

    def test_a_call_can_span_the_repeated_hour(self) -> None:
        availability = hours("America/New_York", rule(SUN, "01:00", "02:00"))
        assert listing(availability, "2024-11-03", "2024-11-04", duration=120) == [utc("2024-11-03T05:00")]

    def test_london(self) -> None:
        slots = listing(hours("Europe/London", rule(SUN, "01:00", "02:00")), "2024-10-27", "2024-10-28")
        assert slots == quarter_hours("2024-10-27T00:00", "2024-10-27T01:45")

    def test_lord_howe_repeats_only_half_an_hour(self) -> None:
        slots = listing(hours("Australia/Lord_Howe", rule(SUN, "01:30", "02:00")), "2024-04-06", "2024-04-07")
        assert slots == quarter_hours("2024-04-06T14:30", "2024-04-06T15:15")

    def test_beirut_repeats_the_hour_before_midnight(self) -> None:
        slots = listing(hours("Asia/Beirut", rule(SAT, "23:00", "24:00")), "2024-10-26", "2024-10-27")
        assert slots == quarter_hours("2024-10-26T20:00", "2024-10-26T21:45")
        assert list(group_by_local_date(slots, "Asia/Beirut")) == [date(2024, 10, 26)]


class TestSpringForward:
    @pytest.mark.parametrize(("start", "end"), [("02:30", "03:00"), ("02:00", "03:00"), ("02:15", "02:45")])
    def test_new_york_wall_times_in_the_gap_yield_nothing(self, start: str, end: str) -> None:
        availability = hours("America/New_York", rule(SUN, start, end))
        assert listing(availability, "2024-03-10", "2024-03-11") == []

    def test_range_across_the_gap_is_one_real_hour(self) -> None:
        availability = hours("America/New_York", rule(SUN, "01:30", "03:30"))
        assert listing(availability, "2024-03-10", "2024-03-11") == quarter_hours(
            "2024-03-10T06:30", "2024-03-10T07:15"
        )
        assert listing(availability, "2024-03-10", "2024-03-11", duration=60) == [utc("2024-03-10T06:30")]
        assert listing(availability, "2024-03-10", "2024-03-11", duration=75) == []

    def test_london_missing_hour(self) -> None:
        assert listing(hours("Europe/London", rule(SUN, "01:00", "02:00")), "2024-03-31", "2024-04-01") == []

    def test_lord_howe_missing_half_hour(self) -> None:
        availability = hours("Australia/Lord_Howe", rule(SUN, "02:00", "03:00"))
        assert listing(availability, "2024-10-05", "2024-10-06") == [utc("2024-10-05T15:30"), utc("2024-10-05T15:45")]

    def test_santiago_loses_the_first_hour_of_the_day(self) -> None:
        availability = hours("America/Santiago", rule(SUN, "00:00", "02:00"))
        assert listing(availability, "2024-09-08", "2024-09-09") == quarter_hours(
            "2024-09-08T04:00", "2024-09-08T04:45"
        )


class TestGrid:
    def test_kathmandu_quarter_hour_offset(self) -> None:
        availability = hours("Asia/Kathmandu", rule(MON, "09:00", "10:00"))
        assert listing(availability, "2024-06-03", "2024-06-04") == quarter_hours(
            "2024-06-03T03:15", "2024-06-03T04:00"
        )

    @pytest.mark.parametrize(
        ("step", "expected"),
        [(30, ["2024-06-03T03:15", "2024-06-03T03:45"]), (60, ["2024-06-03T03:15"])],
    )
    def test_longer_steps_align_to_the_local_clock(self, step: int, expected: list[str]) -> None:
        availability = hours("Asia/Kathmandu", rule(MON, "09:00", "10:00"), slot_step_minutes=step)
        assert listing(availability, "2024-06-03", "2024-06-04") == [utc(text) for text in expected]

    def test_range_ending_at_midnight_joins_the_next_day(self) -> None:
        availability = hours("Europe/London", rule(MON, "22:00", "24:00"), rule(1, "00:00", "02:00"))
        assert listing(availability, "2024-06-03", "2024-06-05", duration=240) == [utc("2024-06-03T21:00")]

    def test_touching_ranges_form_one_stretch(self) -> None:
        availability = hours("UTC", rule(MON, "09:00", "10:00"), rule(MON, "10:00", "11:00"))
        assert listing(availability, "2024-06-03", "2024-06-04", duration=120) == [utc("2024-06-03T09:00")]

    def test_off_grid_window_start_rounds_up_to_the_grid(self) -> None:
        availability = hours("UTC", rule(MON, "09:00", "10:00"))
        slots = listing(availability, "2024-06-03T09:00:01", "2024-06-04")
        assert slots == quarter_hours("2024-06-03T09:15", "2024-06-03T09:45")


class TestOverrides:
    weekly = rule(MON, "09:00", "17:00")
    monday = date(2024, 6, 3)

    def test_replace_swaps_the_days_hours(self) -> None:
        override = DateOverride(self.monday, OverrideKind.REPLACE, ranges(("12:00", "13:00")))
        availability = hours("UTC", self.weekly, overrides=[override])
        assert listing(availability, "2024-06-03", "2024-06-11", duration=60) == [
            utc("2024-06-03T12:00"),
            *quarter_hours("2024-06-10T09:00", "2024-06-10T16:00"),
        ]

    def test_replace_without_ranges_is_a_day_off(self) -> None:
        override = DateOverride(self.monday, OverrideKind.REPLACE)
        assert listing(hours("UTC", self.weekly, overrides=[override]), "2024-06-03", "2024-06-04") == []

    def test_unavailable_takes_a_range_out(self) -> None:
        override = DateOverride(self.monday, OverrideKind.UNAVAILABLE, ranges(("10:00", "16:00")))
        availability = hours("UTC", self.weekly, overrides=[override])
        assert listing(availability, "2024-06-03", "2024-06-04", duration=60) == [
            utc("2024-06-03T09:00"),
            utc("2024-06-03T16:00"),
        ]

    def test_override_on_the_fall_back_day_covers_twenty_five_hours(self) -> None:
        override = DateOverride(date(2024, 11, 3), OverrideKind.REPLACE, ranges(("00:00", "24:00")))
        availability = hours("America/New_York", overrides=[override])
        slots = listing(availability, "2024-11-02", "2024-11-05")
        assert slots == quarter_hours("2024-11-03T04:00", "2024-11-04T04:45")
        assert len(slots) == 25 * 4

    def test_unavailable_on_the_fall_back_day_removes_both_real_hours(self) -> None:
        override = DateOverride(date(2024, 11, 3), OverrideKind.UNAVAILABLE, ranges(("01:00", "02:00")))
        availability = hours("America/New_York", rule(SUN, "00:00", "03:00"), overrides=[override])
        assert listing(availability, "2024-11-03", "2024-11-04") == [
            *quarter_hours("2024-11-03T04:00", "2024-11-03T04:45"),
            *quarter_hours("2024-11-03T07:00", "2024-11-03T07:45"),
        ]


class TestBounds:
    every_day = tuple(rule(weekday, "00:00", "24:00") for weekday in range(7))

    def test_minimum_notice_is_inclusive(self) -> None:
        availability = hours("UTC", *self.every_day, min_notice_minutes=60)
        now = utc("2024-06-03T08:00")
        assert listing(availability, "2024-06-03", "2024-06-03T10:00", now=now) == quarter_hours(
            "2024-06-03T09:00", "2024-06-03T09:45"
        )
        later = now + timedelta(microseconds=1)
        assert listing(availability, "2024-06-03", "2024-06-03T10:00", now=later)[0] == utc("2024-06-03T09:15")

    def test_horizon_is_inclusive_elapsed_time(self) -> None:
        availability = hours("UTC", *self.every_day, horizon_days=1)
        slots = listing(availability, "2024-06-04", "2024-06-05", now=utc("2024-06-03T08:00"))
        assert slots == quarter_hours("2024-06-04T00:00", "2024-06-04T08:00")

    def test_window_bounds_starts_only(self) -> None:
        availability = hours("UTC", rule(MON, "09:00", "17:00"))
        slots = listing(availability, "2024-06-03T09:00", "2024-06-03T10:00", duration=60)
        assert slots == quarter_hours("2024-06-03T09:00", "2024-06-03T09:45")

    def test_empty_or_inverted_window(self) -> None:
        availability = hours("UTC", *self.every_day)
        assert listing(availability, "2024-06-03T09:00", "2024-06-03T09:00") == []
        assert listing(availability, "2024-06-03T10:00", "2024-06-03T09:00") == []


class TestBusy:
    availability = hours("UTC", rule(MON, "09:00", "17:00"), buffer_before_minutes=15, buffer_after_minutes=30)
    busy = (BusyInterval(utc("2024-06-03T12:00"), utc("2024-06-03T13:00")),)

    def test_buffers_widen_the_new_call_against_busy_time(self) -> None:
        slots = listing(self.availability, "2024-06-03", "2024-06-04", duration=60, busy=self.busy)
        assert slots == [
            *quarter_hours("2024-06-03T09:00", "2024-06-03T10:30"),
            *quarter_hours("2024-06-03T13:15", "2024-06-03T16:00"),
        ]

    def test_buffers_may_fall_outside_open_hours(self) -> None:
        slots = listing(self.availability, "2024-06-03", "2024-06-04", duration=60)
        assert (slots[0], slots[-1]) == (utc("2024-06-03T09:00"), utc("2024-06-03T16:00"))

    def test_blocked_range_matches_what_the_engine_avoids(self) -> None:
        start, end = blocked_range(utc("2024-06-03T10:30"), 60, self.availability.settings)
        assert (start, end) == (utc("2024-06-03T10:15"), utc("2024-06-03T12:00"))
        assert blocked_range(utc("2024-06-03T10:45"), 60, self.availability.settings)[1] > self.busy[0].start

    def test_single_slot_check(self) -> None:
        def check(start: str) -> bool:
            return is_slot_available(
                self.availability,
                self.busy,
                start=utc(start),
                duration_minutes=60,
                now=utc("2024-06-01T00:00"),
            )

        assert check("2024-06-03T10:30")
        assert not check("2024-06-03T10:45")
        assert not check("2024-06-03T09:05")
        assert not check("2024-06-03T16:15")
        assert check("2024-06-03T13:15")


class TestInvalidCalls:
    @pytest.mark.parametrize("duration", [0, 10, 250, 255, -15])
    def test_duration_must_be_quarter_hours_up_to_four_hours(self, duration: int) -> None:
        with pytest.raises(InvalidInput) as raised:
            listing(hours("UTC"), "2024-06-03", "2024-06-04", duration=duration)
        assert (raised.value.code, raised.value.field) == ("invalid_duration", "duration_minutes")

    def test_naive_datetimes_are_rejected(self) -> None:
        with pytest.raises(InvalidInput) as raised:
            compute_slots(
                hours("UTC"),
                [],
                duration_minutes=15,
                now=utc("2024-06-01T00:00"),
                window_start=datetime(2024, 6, 3),
                window_end=utc("2024-06-04T00:00"),
            )
        assert (raised.value.code, raised.value.field) == ("naive_datetime", "window_start")

    def test_busy_interval_must_not_be_empty(self) -> None:
        with pytest.raises(InvalidInput) as raised:
            BusyInterval(utc("2024-06-03T12:00"), utc("2024-06-03T12:00"))
        assert raised.value.code == "invalid_busy_interval"
