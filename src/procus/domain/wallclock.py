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
import functools
from collections.abc import Sequence
from typing import NamedTuple

__all__ = ["DAY_SECONDS", "OffsetSpan", "covered_instants", "offset_at", "offset_spans", "wall_day_range"]

DAY_SECONDS = 86_400
_SAMPLE_SECONDS = DAY_SECONDS
_BLOCK_SECONDS = 32 * DAY_SECONDS
_CACHED_FROM = -62_104_060_800
"""0002-01-01T00:00Z; from here to ``_CACHED_UNTIL`` every block's instants are representable."""
_CACHED_UNTIL = 253_370_764_800
"""9999-01-01T00:00Z."""


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

    The zone's spans are worked out once per block of ``_BLOCK_SECONDS`` of UTC time and kept
    (``_block_spans``): they depend on the zone's rules alone, never on who asks, and a slot list
    over 60 days would otherwise sample the zone some 60 times per request. Near the ends of the
    datetime range, where a whole block may not be representable, the zone is sampled directly.
    """
    if start >= end:
        return []
    if not _CACHED_FROM <= start < end <= _CACHED_UNTIL:
        return _sampled_spans(zone, start, end)
    spans: list[OffsetSpan] = []
    for block in range(start // _BLOCK_SECONDS, (end - 1) // _BLOCK_SECONDS + 1):
        for span_start, span_end, offset in _block_spans(zone, block):
            low = span_start if span_start > start else start
            high = span_end if span_end < end else end
            if low >= high:
                continue
            if spans and spans[-1].offset == offset:
                spans[-1] = OffsetSpan(spans[-1].start, high, offset)
            else:
                spans.append(OffsetSpan(low, high, offset))
    return spans


@functools.lru_cache(maxsize=4096)
def _block_spans(zone: dt.tzinfo, block: int) -> tuple[OffsetSpan, ...]:
    return tuple(_sampled_spans(zone, block * _BLOCK_SECONDS, (block + 1) * _BLOCK_SECONDS))


def _sampled_spans(zone: dt.tzinfo, start: int, end: int) -> list[OffsetSpan]:
    """``offset_spans`` worked out from the zone itself.

    The offset is sampled once a day and each change is pinned to the second by bisection. That
    relies on no zone changing its offset twice within a day; since 1990 the closest pair of
    offset changes in the tz database is a week apart.
    """
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


def covered_instants(
    spans: list[OffsetSpan], first_day: int, day_ranges: Sequence[Sequence[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """The real instants within ``spans`` whose wall time falls in its local day's ranges, as sorted,
    disjoint, non-touching intervals.

    ``day_ranges[i]`` holds local day ``first_day + i``'s ranges, in seconds after its midnight,
    sorted and disjoint; it must cover ``wall_day_range(spans)``. Within one span, later wall times
    are later instants, so the intervals come out in order and only ranges that meet across
    midnight (or across a change of offset) need joining.
    """
    covered: list[tuple[int, int]] = []
    for span_start, span_end, offset in spans:
        wall_low, wall_high = span_start + offset, span_end + offset
        for day in range(wall_low // DAY_SECONDS, (wall_high - 1) // DAY_SECONDS + 1):
            midnight = day * DAY_SECONDS
            shift = midnight - offset
            low, high = wall_low - midnight, wall_high - midnight
            clipped = low > 0 or high < DAY_SECONDS
            for start, end in day_ranges[day - first_day]:
                if clipped:
                    start, end = max(start, low), min(end, high)
                    if start >= end:
                        continue
                start += shift
                if covered and covered[-1][1] == start:
                    covered[-1] = (covered[-1][0], end + shift)
                else:
                    covered.append((start, end + shift))
    return covered
