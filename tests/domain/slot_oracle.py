"""A deliberately naive slot oracle to check the engine against.

It shares no code with the engine: it walks every UTC quarter hour, converts each one to local time
with ``astimezone`` and asks plain membership questions. That is exact for the zones we test, whose
offsets and transitions all fall on UTC quarter hours, so availability is constant on each UTC
quarter hour, given that rule and override times are quarter hours too.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from procus.domain.availability import Availability, BusyInterval, DateOverride, TimeRange

__all__ = ["naive_slots"]

QUARTER = timedelta(minutes=15)


def naive_slots(
    availability: Availability,
    busy: list[BusyInterval],
    *,
    duration_minutes: int,
    now: datetime,
    window_start: datetime,
    window_end: datetime,
) -> list[datetime]:
    zone = ZoneInfo(availability.timezone)
    settings = availability.settings
    duration = timedelta(minutes=duration_minutes)
    before = timedelta(minutes=settings.buffer_before_minutes)
    after = timedelta(minutes=settings.buffer_after_minutes)
    earliest = now + timedelta(minutes=settings.min_notice_minutes)
    latest = now + timedelta(days=settings.horizon_days)
    overrides = {override.date: override for override in availability.overrides}
    open_cache: dict[datetime, bool] = {}

    def is_open(instant: datetime) -> bool:
        if instant not in open_cache:
            local = instant.astimezone(zone)
            minute = local.hour * 60 + local.minute
            open_cache[instant] = _open_at(availability, overrides, local.date(), minute)
        return open_cache[instant]

    def fits(start: datetime) -> bool:
        return all(is_open(start + QUARTER * k) for k in range(duration_minutes // 15))

    def collides(start: datetime) -> bool:
        mine_start, mine_end = start - before, start + duration + after
        return any(mine_start < b.end and b.start < mine_end for b in busy)

    def on_grid(start: datetime) -> bool:
        local = start.astimezone(zone)
        return (local.hour * 60 + local.minute) % settings.slot_step_minutes == 0

    slots = []
    candidate = _first_quarter_at_or_after(window_start)
    while candidate < window_end:
        if earliest <= candidate <= latest and on_grid(candidate) and fits(candidate) and not collides(candidate):
            slots.append(candidate)
        candidate += QUARTER
    return slots


def _open_at(availability: Availability, overrides: dict[date, DateOverride], day: date, minute: int) -> bool:
    override = overrides.get(day)
    weekly = [TimeRange(r.start_minute, r.end_minute) for r in availability.rules if r.weekday == day.weekday()]
    if override is None:
        return _inside(weekly, minute)
    if override.kind == "replace":
        return _inside(override.ranges, minute)
    return _inside(weekly, minute) and not _inside(override.ranges, minute)


def _inside(ranges: Iterable[TimeRange], minute: int) -> bool:
    return any(r.start_minute <= minute < r.end_minute for r in ranges)


def _first_quarter_at_or_after(moment: datetime) -> datetime:
    utc = moment.astimezone(UTC)
    floored = utc.replace(minute=utc.minute - utc.minute % 15, second=0, microsecond=0)
    return floored if floored == utc else floored + QUARTER
