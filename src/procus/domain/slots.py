"""The slot engine: when can a client start a call of a given length with this expert?

A start ``s`` (an aware UTC instant, whole seconds) is a slot iff all of these hold:

* fit: the call ``[s, s + duration)`` lies inside the expert's open hours, which are the real
  instants whose local wall time falls in that local date's ranges (see ``procus.domain.wallclock``
  for gaps and folds); ranges that touch, also across midnight, form one stretch;
* free: ``blocked_range(s, duration, settings)`` overlaps no ``BusyInterval`` (half-open);
* grid: ``s`` reads on the expert's wall clock as a multiple of ``slot_step_minutes`` after local
  midnight. With the default 15-minute step that is the same as the UTC quarter-hour grid in every
  current zone (offsets such as +05:45 and +10:30 are whole quarter hours), and with a 30 or 60
  minute step slots stay on :00/:30 local time even in Kathmandu;
* notice and horizon: ``now + min_notice <= s <= now + horizon_days * 24h``, both ends inclusive
  and in elapsed time, not calendar days;
* window: ``window_start <= s < window_end``; only the start must be in the window, the call may
  run past ``window_end``.

The work is interval arithmetic on integer epoch seconds: open hours become merged UTC intervals,
busy intervals widened by the buffers are subtracted, and each remaining interval yields its grid
starts at once, so the cost grows with the number of ranges and busy intervals, not of instants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import msgspec

from procus.domain.availability import (
    Availability,
    BookingSettings,
    BusyInterval,
    DateOverride,
    OverrideKind,
    WeeklyRule,
    get_zone,
)
from procus.domain.errors import InvalidInput
from procus.domain.wallclock import DAY_SECONDS, OffsetSpan, covered_instants, offset_spans, wall_day_range

__all__ = ["compute_slot_runs", "compute_slots", "group_by_local_date", "is_slot_available"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_ORDINAL = _EPOCH.date().toordinal()
_EPOCH_WEEKDAY = _EPOCH.weekday()
_DURATION_UNIT = 15
_MAX_DURATION = 240

_Interval = tuple[int, int]


def compute_slots(
    availability: Availability,
    busy: Iterable[BusyInterval],
    *,
    duration_minutes: int,
    now: dt.datetime,
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> list[dt.datetime]:
    """Every slot start in the window, ascending and unique, as aware UTC datetimes."""
    duration = _duration_seconds(duration_minutes)
    settings = availability.settings
    first, last = _start_bounds(settings, now, window_start, window_end)
    if first > last:
        return []
    spans = offset_spans(get_zone(availability.timezone), first, last + duration)
    free = _subtract(_open_hours(availability, spans), _blocked(busy, settings))
    step = settings.slot_step_minutes * 60
    return _run_starts(_grid_runs(free, spans, duration, step, first, last), step)


def compute_slot_runs(
    availability: Availability,
    busy: Iterable[BusyInterval],
    *,
    durations: Sequence[int],
    now: dt.datetime,
    window_start: dt.datetime,
    window_end: dt.datetime,
) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """``compute_slots``' answer for each call length in ``durations``, as runs ``(first, last)``: each
    run holds the starts from ``first`` to ``last`` (included) exactly ``slot_step_minutes`` apart.

    The same computation, with the open and busy time worked out once for all lengths and without
    listing every start, for callers that keep slots over long windows (the directory's index).
    """
    seconds = {minutes: _duration_seconds(minutes) for minutes in durations}
    settings = availability.settings
    first, last = _start_bounds(settings, now, window_start, window_end)
    if first > last or not seconds:
        return {minutes: [] for minutes in seconds}
    spans = offset_spans(get_zone(availability.timezone), first, last + max(seconds.values()))
    free = _subtract(_open_hours(availability, spans), _blocked(busy, settings))
    step = settings.slot_step_minutes * 60
    return {
        minutes: [
            (_EPOCH + dt.timedelta(seconds=a), _EPOCH + dt.timedelta(seconds=b))
            for a, b in _grid_runs(free, spans, duration, step, first, last)
        ]
        for minutes, duration in seconds.items()
    }


def is_slot_available(
    availability: Availability,
    busy: Iterable[BusyInterval],
    *,
    start: dt.datetime,
    duration_minutes: int,
    now: dt.datetime,
) -> bool:
    """Whether ``start`` is one of ``compute_slots``' answers, e.g. to re-check it when booking."""
    window_end = start + dt.timedelta(microseconds=1)
    slots = compute_slots(
        availability, busy, duration_minutes=duration_minutes, now=now, window_start=start, window_end=window_end
    )
    return slots == [start]


def group_by_local_date(slots: Iterable[dt.datetime], timezone: str) -> dict[dt.date, list[dt.datetime]]:
    """Slots keyed by their local date in ``timezone``, dates ascending; the instants are untouched."""
    zone = get_zone(timezone)
    days: dict[dt.date, list[dt.datetime]] = {}
    for slot in slots:
        days.setdefault(slot.astimezone(zone).date(), []).append(slot)
    return dict(sorted(days.items()))


def _duration_seconds(duration_minutes: int) -> int:
    if not _DURATION_UNIT <= duration_minutes <= _MAX_DURATION or duration_minutes % _DURATION_UNIT:
        raise InvalidInput(
            "invalid_duration",
            f"duration must be a multiple of {_DURATION_UNIT} minutes up to {_MAX_DURATION}",
            field="duration_minutes",
        )
    return duration_minutes * 60


def _start_bounds(
    settings: BookingSettings, now: dt.datetime, window_start: dt.datetime, window_end: dt.datetime
) -> tuple[int, int]:
    """Earliest and latest admissible start in the window, inclusive, in whole epoch seconds."""
    earliest, latest = _notice_and_horizon(settings, now)
    first = max(_epoch_ceil(window_start, "window_start"), earliest)
    last = min(_epoch_ceil(window_end, "window_end") - 1, latest)
    return first, last


def _notice_and_horizon(settings: BookingSettings, now: dt.datetime) -> tuple[int, int]:
    """The first start the minimum notice allows and the last the horizon allows, in epoch seconds.

    Both are whole minutes or days after ``now``, so only ``now`` itself needs rounding."""
    instant = _epoch_floor(now, "now")
    earliest = instant + (now.microsecond > 0) + settings.min_notice_minutes * 60
    return earliest, instant + settings.horizon_days * DAY_SECONDS


def _epoch_floor(moment: dt.datetime, field: str) -> int:
    try:
        delta = moment - _EPOCH
    except TypeError:
        raise InvalidInput("naive_datetime", "datetimes must be timezone-aware", field=field) from None
    return delta.days * DAY_SECONDS + delta.seconds


def _epoch_ceil(moment: dt.datetime, field: str) -> int:
    return _epoch_floor(moment, field) + (moment.microsecond > 0)


def _open_hours(availability: Availability, spans: list[OffsetSpan]) -> list[_Interval]:
    """The real instants in ``spans`` that are open hours, as sorted, disjoint, non-touching intervals."""
    weekly = _weekly_ranges(availability.rules)
    days = wall_day_range(spans)
    overrides = {
        day: _override_ranges(override, weekly[(day + _EPOCH_WEEKDAY) % 7])
        for override in availability.overrides
        if (day := override.date.toordinal() - _EPOCH_ORDINAL) in days
    }
    day_ranges = [overrides.get(day, weekly[(day + _EPOCH_WEEKDAY) % 7]) for day in days]
    return covered_instants(spans, days.start, day_ranges)


def _weekly_ranges(rules: Sequence[WeeklyRule]) -> list[list[_Interval]]:
    """Each weekday's open ranges in seconds after midnight, merged.

    Rules usually arrive in order (the store sorts them), and then ranges that touch are joined as
    they come; a weekday whose rules arrive out of order is merged afresh.
    """
    by_weekday: list[list[_Interval]] = [[], [], [], [], [], [], []]
    unordered: set[int] = set()
    for rule in rules:
        ranges = by_weekday[rule.weekday]
        start, end = rule.start_minute * 60, rule.end_minute * 60
        if not ranges or start > ranges[-1][1]:
            ranges.append((start, end))
        elif start >= ranges[-1][0]:
            ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
        else:
            ranges.append((start, end))
            unordered.add(rule.weekday)
    for weekday in unordered:
        by_weekday[weekday] = _merge(by_weekday[weekday])
    return by_weekday


def _override_ranges(override: DateOverride, usual: list[_Interval]) -> list[_Interval]:
    """A date's open ranges in seconds after midnight: what its override makes of its ``usual`` ranges."""
    if len(override.ranges) == 1:
        (only,) = override.ranges
        ranges = [(only.start_minute * 60, only.end_minute * 60)]
    else:
        ranges = _merge([(time_range.start_minute * 60, time_range.end_minute * 60) for time_range in override.ranges])
    if override.kind is OverrideKind.REPLACE:
        return ranges
    return _subtract(usual, ranges)


def _blocked(busy: Iterable[BusyInterval], settings: BookingSettings) -> list[_Interval]:
    """Busy intervals widened so that a call must not overlap them at all.

    A call ``[s, s + d)`` has blocked range ``[s - before, s + d + after)``, which overlaps a busy
    ``[b0, b1)`` exactly when the call overlaps ``[b0 - after, b1 + before)``. Rounding outwards to
    whole seconds is exact because every candidate start and duration is whole seconds.
    """
    before = settings.buffer_before_minutes * 60
    after = settings.buffer_after_minutes * 60
    blocked: list[_Interval] = []
    try:
        for interval in busy:
            start, end = interval.start - _EPOCH, interval.end - _EPOCH
            blocked.append(
                (
                    start.days * DAY_SECONDS + start.seconds - after,
                    end.days * DAY_SECONDS + end.seconds + (end.microseconds > 0) + before,
                )
            )
    except TypeError:
        raise InvalidInput("naive_datetime", "datetimes must be timezone-aware", field="busy") from None
    blocked.sort()
    return blocked


def _run_starts(runs: list[_Interval], step: int) -> list[dt.datetime]:
    """Every start of ``runs`` (see ``_grid_runs``) as an aware UTC datetime, ascending.

    The epoch seconds are listed with ``range`` and turned into datetimes by msgspec in one call,
    in C: several times cheaper than building each datetime in Python.
    """
    starts: list[int] = []
    for run_first, run_last in runs:
        starts.extend(range(run_first, run_last + 1, step))
    return msgspec.convert(starts, list[dt.datetime], strict=False)


def _merge(intervals: list[_Interval]) -> list[_Interval]:
    """Sorted, disjoint, non-touching union of half-open intervals."""
    merged: list[_Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _subtract(base: list[_Interval], cuts: list[_Interval]) -> list[_Interval]:
    """``base`` (sorted, disjoint) minus the union of ``cuts`` (sorted by start, may overlap)."""
    result: list[_Interval] = []
    count = len(cuts)
    first_cut = 0
    for start, end in base:
        while first_cut < count and cuts[first_cut][1] <= start:
            first_cut += 1
        cursor = start
        for index in range(first_cut, count):
            cut_start, cut_end = cuts[index]
            if cut_start >= end:
                break
            if cut_start > cursor:
                result.append((cursor, cut_start))
            if cut_end > cursor:
                cursor = cut_end
        if cursor < end:
            result.append((cursor, end))
    return result


def _grid_runs(
    free: list[_Interval], spans: list[OffsetSpan], duration: int, step: int, first: int, last: int
) -> list[_Interval]:
    """The starts in ``[first, last]`` on the local step grid whose whole call fits in a free interval,
    as runs ``(first, last)`` of starts exactly ``step`` apart, both ends included."""
    runs: list[_Interval] = []
    span_index = 0
    span_start, span_end, offset = spans[0]
    for start, end in free:
        low = start if start > first else first
        high = end - duration
        if high > last:
            high = last
        if low > high:
            continue
        while span_end <= low:
            span_index += 1
            span_start, span_end, offset = spans[span_index]
        while True:
            sub_high = high if high < span_end else span_end - 1
            run_first = _first_on_grid(low, offset, step)
            if run_first <= sub_high:
                runs.append((run_first, sub_high - (sub_high - run_first) % step))
            if high < span_end:
                break
            span_index += 1
            span_start, span_end, offset = spans[span_index]
            low = span_start
    return runs


def _first_on_grid(low: int, offset: int, step: int) -> int:
    """The first instant from ``low`` whose wall time (at UTC ``offset``) is a whole step after midnight."""
    return low + (-(low + offset)) % step
