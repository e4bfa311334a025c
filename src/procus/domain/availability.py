"""An expert's bookable hours: weekly wall-clock rules, per-date overrides and booking settings.

Times of day are whole minutes from local midnight in the expert's zone, on the quarter hour, and
every range is half-open ``[start_minute, end_minute)``; ``end_minute == 1440`` is 24:00, so
``22:00-24:00`` on Monday and ``00:00-02:00`` on Tuesday join into one stretch.

A ``DateOverride`` is keyed by a *local* date and comes in two kinds:

* ``replace``: the day's hours are exactly ``ranges`` and its weekly rules are ignored; no ranges
  means the whole day is off;
* ``unavailable``: ``ranges`` (at least one) are taken out of the day's weekly hours.

A date has at most one override. ``validate_availability`` enforces all of this; the slot engine
assumes a validated ``Availability``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import itertools
import zoneinfo
from collections.abc import Iterable, Sequence

import msgspec

from procus.domain.errors import InvalidInput

__all__ = [
    "MINUTES_PER_DAY",
    "SLOT_STEPS",
    "Availability",
    "BookingSettings",
    "BusyInterval",
    "DateOverride",
    "OverrideKind",
    "TimeRange",
    "WeeklyRule",
    "blocked_range",
    "get_zone",
    "validate_availability",
]

MINUTES_PER_DAY = 1440
SLOT_STEPS = (15, 30, 60)
_QUARTER_HOUR = 15
_MAX_OVERRIDES = 1000
_MAX_NOTICE_MINUTES = 30 * MINUTES_PER_DAY
_MAX_HORIZON_DAYS = 365
_MAX_BUFFER_MINUTES = 240


class TimeRange(msgspec.Struct, frozen=True):
    """Local wall-clock minutes ``[start_minute, end_minute)``; 1440 is 24:00."""

    start_minute: int
    end_minute: int


class WeeklyRule(msgspec.Struct, frozen=True):
    """Open hours on one weekday (0 = Monday .. 6 = Sunday); several rules may share a weekday."""

    weekday: int
    start_minute: int
    end_minute: int


class OverrideKind(enum.StrEnum):
    REPLACE = "replace"
    UNAVAILABLE = "unavailable"


class DateOverride(msgspec.Struct, frozen=True):
    date: dt.date
    kind: OverrideKind
    ranges: tuple[TimeRange, ...] = ()


class BookingSettings(msgspec.Struct, frozen=True):
    min_notice_minutes: int = 720
    horizon_days: int = 60
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    slot_step_minutes: int = 15


class Availability(msgspec.Struct, frozen=True):
    timezone: str
    rules: tuple[WeeklyRule, ...] = ()
    overrides: tuple[DateOverride, ...] = ()
    settings: BookingSettings = msgspec.field(default_factory=BookingSettings)


class BusyInterval(msgspec.Struct, frozen=True, gc=False):
    """A stretch of the expert's time already taken, as aware datetimes, half-open.

    For a pending or confirmed booking this is its *blocked range* (see ``blocked_range``), i.e. the
    call widened by the buffers in force when it was booked; that is the range the bookings table
    guards with its exclusion constraint, so the engine and the database apply the same test.
    Holding only datetimes, it can never be part of a reference cycle, so the garbage collector
    need not track it (``gc=False``): a 60-day slot list loads some 400 of them per request.
    """

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise InvalidInput("invalid_busy_interval", "a busy interval must end after it starts")


def blocked_range(
    start: dt.datetime, duration_minutes: int, settings: BookingSettings
) -> tuple[dt.datetime, dt.datetime]:
    """The time a call starting at ``start`` takes out of the expert's calendar, buffers included.

    A candidate slot is free iff its blocked range overlaps no existing blocked range (both
    half-open). Two consecutive calls are therefore at least ``buffer_after + buffer_before``
    apart, and buffers may reach outside open hours: only the call itself must fit in them.
    """
    end = start + dt.timedelta(minutes=duration_minutes)
    return (
        start - dt.timedelta(minutes=settings.buffer_before_minutes),
        end + dt.timedelta(minutes=settings.buffer_after_minutes),
    )


@functools.lru_cache(maxsize=1024)
def get_zone(key: str) -> zoneinfo.ZoneInfo:
    """The ZoneInfo for an IANA key, cached so hot paths never reload or re-look it up."""
    return zoneinfo.ZoneInfo(key)


@functools.lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_availability(availability: Availability) -> None:
    """Reject an availability an expert may not save, naming the first culprit in ``field``."""
    if availability.timezone not in _known_zones():
        raise InvalidInput("invalid_time_zone", "timezone must be an IANA zone name", field="timezone")
    _validate_settings(availability.settings)
    _validate_rules(availability.rules)
    _validate_overrides(availability.overrides)


def _validate_settings(settings: BookingSettings) -> None:
    if settings.slot_step_minutes not in SLOT_STEPS:
        raise InvalidInput(
            "invalid_slot_step", f"slot step must be one of {SLOT_STEPS} minutes", field="settings.slot_step_minutes"
        )
    if not 0 <= settings.min_notice_minutes <= _MAX_NOTICE_MINUTES:
        raise InvalidInput(
            "invalid_min_notice",
            f"minimum notice must be within 0..{_MAX_NOTICE_MINUTES} minutes",
            field="settings.min_notice_minutes",
        )
    if not 1 <= settings.horizon_days <= _MAX_HORIZON_DAYS:
        raise InvalidInput(
            "invalid_horizon",
            f"booking horizon must be within 1..{_MAX_HORIZON_DAYS} days",
            field="settings.horizon_days",
        )
    for name in ("buffer_before_minutes", "buffer_after_minutes"):
        if not 0 <= getattr(settings, name) <= _MAX_BUFFER_MINUTES:
            raise InvalidInput(
                "invalid_buffer", f"buffers must be within 0..{_MAX_BUFFER_MINUTES} minutes", field=f"settings.{name}"
            )


def _validate_rules(rules: Sequence[WeeklyRule]) -> None:
    by_weekday: dict[int, list[tuple[int, TimeRange]]] = {}
    for index, rule in enumerate(rules):
        path = f"rules[{index}]"
        if not 0 <= rule.weekday <= 6:
            raise InvalidInput("invalid_weekday", "weekday must be 0 (Monday) .. 6 (Sunday)", field=f"{path}.weekday")
        time_range = TimeRange(rule.start_minute, rule.end_minute)
        _validate_range(time_range, path)
        by_weekday.setdefault(rule.weekday, []).append((index, time_range))
    for ranges in by_weekday.values():
        _reject_overlaps(ranges, "rules")


def _validate_overrides(overrides: Sequence[DateOverride]) -> None:
    if len(overrides) > _MAX_OVERRIDES:
        raise InvalidInput("too_many_overrides", f"at most {_MAX_OVERRIDES} date overrides", field="overrides")
    seen: set[dt.date] = set()
    for index, override in enumerate(overrides):
        path = f"overrides[{index}]"
        if override.date in seen:
            raise InvalidInput("duplicate_override_date", "a date can have only one override", field=f"{path}.date")
        seen.add(override.date)
        if override.kind is OverrideKind.UNAVAILABLE and not override.ranges:
            raise InvalidInput(
                "override_ranges_required",
                "an unavailable override needs ranges; use a replace override without ranges for a day off",
                field=f"{path}.ranges",
            )
        for range_index, time_range in enumerate(override.ranges):
            _validate_range(time_range, f"{path}.ranges[{range_index}]")
        _reject_overlaps(enumerate(override.ranges), f"{path}.ranges")


def _validate_range(time_range: TimeRange, path: str) -> None:
    for name in ("start_minute", "end_minute"):
        minute = getattr(time_range, name)
        if not 0 <= minute <= MINUTES_PER_DAY or minute % _QUARTER_HOUR:
            raise InvalidInput(
                "invalid_time", "times must be on the quarter hour between 00:00 and 24:00", field=f"{path}.{name}"
            )
    if time_range.start_minute >= time_range.end_minute:
        raise InvalidInput("empty_time_range", "a range must end after it starts", field=f"{path}.end_minute")


def _reject_overlaps(indexed: Iterable[tuple[int, TimeRange]], list_path: str) -> None:
    ordered = sorted(indexed, key=lambda item: item[1].start_minute)
    for (_, previous), (index, current) in itertools.pairwise(ordered):
        if current.start_minute < previous.end_minute:
            raise InvalidInput(
                "overlapping_ranges", "ranges on the same day must not overlap", field=f"{list_path}[{index}]"
            )
