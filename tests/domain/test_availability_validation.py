"""What an expert may save as availability, and the error code and field path when they may not."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from procus.domain.availability import (
    Availability,
    BookingSettings,
    DateOverride,
    OverrideKind,
    TimeRange,
    WeeklyRule,
    validate_availability,
)
from procus.domain.errors import InvalidInput

VALID = Availability(
    "Africa/Lagos",
    rules=(WeeklyRule(0, 540, 720), WeeklyRule(0, 720, 1020), WeeklyRule(1, 1320, 1440), WeeklyRule(2, 0, 120)),
    overrides=(
        DateOverride(date(2024, 12, 25), OverrideKind.REPLACE),
        DateOverride(date(2024, 12, 24), OverrideKind.UNAVAILABLE, (TimeRange(720, 1020),)),
        DateOverride(date(2024, 12, 31), OverrideKind.REPLACE, (TimeRange(600, 660), TimeRange(660, 720))),
    ),
)


def rejection(availability: Availability) -> tuple[str, str | None]:
    with pytest.raises(InvalidInput) as raised:
        validate_availability(availability)
    return raised.value.code, raised.value.field


def with_settings(**changes: int) -> Availability:
    return msgspec.structs.replace(VALID, settings=BookingSettings(**changes))


def test_a_sensible_availability_passes() -> None:
    validate_availability(VALID)
    validate_availability(Availability("Asia/Kathmandu"))


def test_defaults_match_the_issue() -> None:
    assert BookingSettings() == BookingSettings(
        min_notice_minutes=720, horizon_days=60, buffer_before_minutes=0, buffer_after_minutes=0, slot_step_minutes=15
    )


def test_decodes_from_the_api_shape() -> None:
    body = b"""{"timezone": "Europe/London",
                "rules": [{"weekday": 0, "start_minute": 540, "end_minute": 1440}],
                "overrides": [{"date": "2024-12-25", "kind": "unavailable",
                               "ranges": [{"start_minute": 600, "end_minute": 660}]}]}"""
    availability = msgspec.json.decode(body, type=Availability)
    validate_availability(availability)
    assert availability.overrides[0].kind is OverrideKind.UNAVAILABLE
    assert availability.settings == BookingSettings()


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd", "utc+1"])
def test_unknown_timezone(zone: str) -> None:
    assert rejection(msgspec.structs.replace(VALID, timezone=zone)) == ("invalid_time_zone", "timezone")


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (WeeklyRule(7, 540, 600), ("invalid_weekday", "rules[4].weekday")),
        (WeeklyRule(-1, 540, 600), ("invalid_weekday", "rules[4].weekday")),
        (WeeklyRule(3, 600, 600), ("empty_time_range", "rules[4].end_minute")),
        (WeeklyRule(3, 660, 600), ("empty_time_range", "rules[4].end_minute")),
        (WeeklyRule(3, 545, 600), ("invalid_time", "rules[4].start_minute")),
        (WeeklyRule(3, 540, 1455), ("invalid_time", "rules[4].end_minute")),
        (WeeklyRule(3, -15, 600), ("invalid_time", "rules[4].start_minute")),
        (WeeklyRule(0, 1005, 1080), ("overlapping_ranges", "rules[4]")),
        (WeeklyRule(0, 480, 555), ("overlapping_ranges", "rules[0]")),
        (WeeklyRule(0, 600, 660), ("overlapping_ranges", "rules[4]")),
    ],
)
def test_bad_weekly_rule(rule: WeeklyRule, expected: tuple[str, str]) -> None:
    assert rejection(msgspec.structs.replace(VALID, rules=(*VALID.rules, rule))) == expected


def test_the_same_range_on_different_weekdays_is_fine() -> None:
    rules = tuple(WeeklyRule(weekday, 540, 1020) for weekday in range(7))
    validate_availability(msgspec.structs.replace(VALID, rules=rules))


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        (DateOverride(date(2024, 12, 25), OverrideKind.REPLACE), ("duplicate_override_date", "overrides[3].date")),
        (DateOverride(date(2025, 1, 1), OverrideKind.UNAVAILABLE), ("override_ranges_required", "overrides[3].ranges")),
        (
            DateOverride(date(2025, 1, 1), OverrideKind.REPLACE, (TimeRange(600, 700),)),
            ("invalid_time", "overrides[3].ranges[0].end_minute"),
        ),
        (
            DateOverride(date(2025, 1, 1), OverrideKind.REPLACE, (TimeRange(600, 660), TimeRange(720, 720))),
            ("empty_time_range", "overrides[3].ranges[1].end_minute"),
        ),
        (
            DateOverride(date(2025, 1, 1), OverrideKind.UNAVAILABLE, (TimeRange(600, 720), TimeRange(660, 780))),
            ("overlapping_ranges", "overrides[3].ranges[1]"),
        ),
    ],
)
def test_bad_override(override: DateOverride, expected: tuple[str, str]) -> None:
    assert rejection(msgspec.structs.replace(VALID, overrides=(*VALID.overrides, override))) == expected


def test_too_many_overrides() -> None:
    overrides = tuple(
        DateOverride(date(2024, 1, 1).fromordinal(738_000 + n), OverrideKind.REPLACE) for n in range(1001)
    )
    assert rejection(msgspec.structs.replace(VALID, overrides=overrides)) == ("too_many_overrides", "overrides")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"slot_step_minutes": 0}, ("invalid_slot_step", "settings.slot_step_minutes")),
        ({"slot_step_minutes": 20}, ("invalid_slot_step", "settings.slot_step_minutes")),
        ({"slot_step_minutes": 45}, ("invalid_slot_step", "settings.slot_step_minutes")),
        ({"min_notice_minutes": -1}, ("invalid_min_notice", "settings.min_notice_minutes")),
        ({"min_notice_minutes": 30 * 1440 + 1}, ("invalid_min_notice", "settings.min_notice_minutes")),
        ({"horizon_days": 0}, ("invalid_horizon", "settings.horizon_days")),
        ({"horizon_days": 366}, ("invalid_horizon", "settings.horizon_days")),
        ({"buffer_before_minutes": -5}, ("invalid_buffer", "settings.buffer_before_minutes")),
        ({"buffer_after_minutes": 241}, ("invalid_buffer", "settings.buffer_after_minutes")),
    ],
)
def test_bad_settings(changes: dict[str, int], expected: tuple[str, str]) -> None:
    assert rejection(with_settings(**changes)) == expected


@pytest.mark.parametrize("step", [15, 30, 60])
def test_allowed_steps(step: int) -> None:
    validate_availability(with_settings(slot_step_minutes=step))
