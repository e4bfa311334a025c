"""Wall-clock arithmetic on integer epoch seconds: which real instants a local time range covers.

A zone's UTC offset is constant between transitions, so an instant ``u`` reads as wall time
``u + offset(u)`` and a wall-clock range ``[A, B)`` (as "wall epoch seconds", i.e. local time read
as if it were UTC) covers the real instants ``[A - offset, B - offset)`` of each constant-offset
span, intersected with that span. This one rule gives the DST behaviour we want without special
cases: a wall time inside a spring-forward gap covers no instant, and a wall time repeated by a
fall-back covers both instants, so local 01:00-02:00 on New York's fall-back day is two real hours.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

__all__ = ["DAY_SECONDS", "OffsetSpan", "covered_instants", "offset_at", "offset_spans", "wall_day_range"]

DAY_SECONDS = 86_400
_SAMPLE_SECONDS = DAY_SECONDS


class OffsetSpan(NamedTuple):
    """Real instants ``[start, end)`` (epoch seconds) during which the zone's offset is ``offset`` seconds."""

    start: int
    end: int
    offset: int


def offset_at(zone: dt.tzinfo, instant: int) -> int:
    """UTC offset in seconds at an epoch second."""
    offset = dt.datetime.fromtimestamp(instant, zone).utcoffset()
    if offset is None:
        raise ValueError(f"{zone!r} has no UTC offset")
    return offset.days * DAY_SECONDS + offset.seconds


def offset_spans(zone: dt.tzinfo, start: int, end: int) -> list[OffsetSpan]:
    """Split ``[start, end)`` into spans of constant offset.

    The offset is sampled once a day and each change is pinned to the second by bisection. That
    relies on no zone changing its offset twice within a day; since 1990 the closest pair of
    offset changes in the tz database is a week apart.
    """
    if start >= end:
        return []
    spans: list[OffsetSpan] = []
    span_start, span_offset = start, offset_at(zone, start)
    probe = start
    while probe < end - 1:
        next_probe = min(probe + _SAMPLE_SECONDS, end - 1)
        next_offset = offset_at(zone, next_probe)
        if next_offset != span_offset:
            change = _first_instant_with_offset(zone, probe, next_probe, span_offset)
            spans.append(OffsetSpan(span_start, change, span_offset))
            span_start, span_offset = change, next_offset
        probe = next_probe
    spans.append(OffsetSpan(span_start, end, span_offset))
    return spans


def _first_instant_with_offset(zone: dt.tzinfo, before: int, after: int, old_offset: int) -> int:
    """The first second in ``(before, after]`` whose offset differs from ``old_offset``."""
    while after - before > 1:
        middle = (before + after) // 2
        if offset_at(zone, middle) == old_offset:
            before = middle
        else:
            after = middle
    return after


def wall_day_range(spans: list[OffsetSpan]) -> range:
    """Local days (days since 1970-01-01 on the wall clock) that some instant of ``spans`` falls on."""
    first = min((span.start + span.offset) // DAY_SECONDS for span in spans)
    last = max((span.end - 1 + span.offset) // DAY_SECONDS for span in spans)
    return range(first, last + 1)


def covered_instants(midnight: int, ranges: list[tuple[int, int]], spans: list[OffsetSpan]) -> list[tuple[int, int]]:
    """The real-instant intervals within ``spans`` whose wall time is in one of a local day's ``ranges``.

    ``midnight`` is the day's start in wall epoch seconds and ``ranges`` are minutes after it.
    """
    covered: list[tuple[int, int]] = []
    day_end = midnight + DAY_SECONDS
    for span_start, span_end, offset in spans:
        wall_low = max(midnight, span_start + offset)
        wall_high = min(day_end, span_end + offset)
        if wall_low >= wall_high:
            continue
        for start_minute, end_minute in ranges:
            start = max(midnight + start_minute * 60, wall_low)
            end = min(midnight + end_minute * 60, wall_high)
            if start < end:
                covered.append((start - offset, end - offset))
    return covered
