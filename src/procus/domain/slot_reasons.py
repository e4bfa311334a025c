"""Why a start is or is not a slot: the slot engine's own rules, checked one at a time and named.

``explain_start`` answers "why isn't this time bookable?" for an expert. It does not restate the
rules of ``procus.domain.slots``: it runs the engine's own stages (notice and horizon bounds, the
local step grid, open hours from weekly rules and overrides, busy time widened by the buffers) on
the one start, and keeps what each stage rejects. The verdict itself comes from
``is_slot_available``, the function that booking uses; the tests check that a start has no
obstacles exactly when the engine offers it.

Busy time arrives as ``HeldTime``: the interval the engine avoids plus the call inside it, so the
explanation can tell "already booked" (the calls overlap) from "a buffer" (only the buffers do).
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Sequence

import msgspec

from procus.domain.availability import Availability, BusyInterval, DateOverride, OverrideKind, get_zone
from procus.domain.slots import (
    _EPOCH_ORDINAL,
    _blocked,
    _duration_seconds,
    _epoch_ceil,
    _epoch_floor,
    _first_on_grid,
    _Interval,
    _notice_and_horizon,
    _open_hours,
    is_slot_available,
)
from procus.domain.wallclock import OffsetSpan, offset_spans, wall_day_range

__all__ = ["HeldBooking", "HeldTime", "Obstacle", "ObstacleKind", "StartExplanation", "explain_start"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class ObstacleKind(enum.StrEnum):
    INSIDE_MINIMUM_NOTICE = "inside_minimum_notice"
    BEYOND_HORIZON = "beyond_horizon"
    OFF_SLOT_GRID = "off_slot_grid"
    OUTSIDE_WEEKLY_HOURS = "outside_weekly_hours"
    DAY_OFF = "day_off"
    REPLACED_HOURS = "replaced_hours"
    HOURS_TAKEN_OUT = "hours_taken_out"
    ALREADY_BOOKED = "already_booked"
    BUFFER = "buffer"


_OVERRIDE_OBSTACLES = {
    OverrideKind.REPLACE: ObstacleKind.REPLACED_HOURS,
    OverrideKind.UNAVAILABLE: ObstacleKind.HOURS_TAKEN_OUT,
}


class HeldTime(msgspec.Struct, frozen=True):
    """Busy time as the engine sees it (``busy``: a booking's blocked range, buffers included) and
    the call inside it."""

    busy: BusyInterval
    call: BusyInterval


class HeldBooking(msgspec.Struct, frozen=True, kw_only=True):
    """Held time with the booking that holds it, to name it in an explanation."""

    held: HeldTime
    booking_id: uuid.UUID
    proposal: bool
    """The time a pending reschedule proposal holds, not the booking's current time."""
    as_client: bool
    """The expert booked this call as another expert's client."""
    title: str
    other_party: str


class Obstacle(msgspec.Struct, frozen=True, kw_only=True):
    """One rule the start breaks; ``override_date`` names the override, ``held_index`` the held time."""

    kind: ObstacleKind
    override_date: dt.date | None = None
    held_index: int | None = None


class StartExplanation(msgspec.Struct, frozen=True, kw_only=True):
    bookable: bool
    obstacles: tuple[Obstacle, ...]
    earliest_start: dt.datetime
    """The first start the minimum notice allows."""
    latest_start: dt.datetime
    """The last start the booking horizon allows."""


def explain_start(
    availability: Availability,
    held: Sequence[HeldTime],
    *,
    start: dt.datetime,
    duration_minutes: int,
    now: dt.datetime,
) -> StartExplanation:
    """Whether clients are offered ``start`` for a call of ``duration_minutes``, and every reason not."""
    duration = _duration_seconds(duration_minutes)
    settings = availability.settings
    instant = _epoch_ceil(start, "start")
    earliest, latest = _notice_and_horizon(settings, now)
    spans = offset_spans(get_zone(availability.timezone), instant, instant + duration)
    obstacles: list[Obstacle] = []
    if instant < earliest:
        obstacles.append(Obstacle(kind=ObstacleKind.INSIDE_MINIMUM_NOTICE))
    if instant > latest:
        obstacles.append(Obstacle(kind=ObstacleKind.BEYOND_HORIZON))
    step = settings.slot_step_minutes * 60
    if start.microsecond or _first_on_grid(instant, spans[0].offset, step) != instant:
        obstacles.append(Obstacle(kind=ObstacleKind.OFF_SLOT_GRID))
    call = (instant, instant + duration)
    obstacles += _hours_obstacles(availability, spans, call)
    obstacles += _held_obstacles(availability, held, call)
    bookable = is_slot_available(
        availability, [item.busy for item in held], start=start, duration_minutes=duration_minutes, now=now
    )
    return StartExplanation(
        bookable=bookable,
        obstacles=tuple(obstacles),
        earliest_start=_EPOCH + dt.timedelta(seconds=earliest),
        latest_start=_EPOCH + dt.timedelta(seconds=latest),
    )


def _fits(call: _Interval, intervals: list[_Interval]) -> bool:
    return any(start <= call[0] and call[1] <= end for start, end in intervals)


def _hours_obstacles(availability: Availability, spans: list[OffsetSpan], call: _Interval) -> list[Obstacle]:
    """Outside open hours: blame the overrides on the call's local days, the weekly rules, or both."""
    if _fits(call, _open_hours(availability, spans)):
        return []
    by_day = {override.date.toordinal() - _EPOCH_ORDINAL: override for override in availability.overrides}
    days = list(wall_day_range(spans))
    touched = [by_day[day] for day in days if day in by_day]
    weekly_only = msgspec.structs.replace(availability, overrides=())
    if _fits(call, _open_hours(weekly_only, spans)):
        return [_override_obstacle(override) for override in touched]
    replaced = [override for override in touched if override.kind is OverrideKind.REPLACE]
    obstacles = [_override_obstacle(override) for override in replaced]
    if len(replaced) < len(days):
        obstacles.append(Obstacle(kind=ObstacleKind.OUTSIDE_WEEKLY_HOURS))
    return obstacles


def _override_obstacle(override: DateOverride) -> Obstacle:
    kind = _OVERRIDE_OBSTACLES[override.kind]
    if override.kind is OverrideKind.REPLACE and not override.ranges:
        kind = ObstacleKind.DAY_OFF
    return Obstacle(kind=kind, override_date=override.date)


def _held_obstacles(availability: Availability, held: Sequence[HeldTime], call: _Interval) -> list[Obstacle]:
    """Held time the call (widened by the buffers, as the engine widens it) runs into."""
    obstacles: list[Obstacle] = []
    for index, item in enumerate(held):
        ((low, high),) = _blocked([item.busy], availability.settings)
        if not (low < call[1] and call[0] < high):
            continue
        booked_low, booked_high = _epoch_floor(item.call.start, "busy"), _epoch_ceil(item.call.end, "busy")
        booked = booked_low < call[1] and call[0] < booked_high
        kind = ObstacleKind.ALREADY_BOOKED if booked else ObstacleKind.BUFFER
        obstacles.append(Obstacle(kind=kind, held_index=index))
    return obstacles
