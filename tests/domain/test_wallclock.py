"""A zone's constant-offset spans, kept per block of UTC time, agree with sampling the zone directly."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from procus.domain.availability import get_zone
from procus.domain.wallclock import _BLOCK_SECONDS, DAY_SECONDS, _sampled_spans, offset_spans
from tests.domain.test_slots_properties import TRANSITION_DAYS

_2020 = 1_577_836_800
ZONES = st.sampled_from([*sorted(TRANSITION_DAYS), "America/Sao_Paulo", "Africa/Casablanca", "Asia/Tehran"])


@settings(max_examples=300, deadline=None)
@given(
    ZONES,
    st.integers(0, 8 * 365 * DAY_SECONDS),
    st.one_of(st.integers(1, 3 * DAY_SECONDS), st.integers(1, 100 * DAY_SECONDS)),
)
def test_spans_from_blocks_equal_the_zone_sampled_directly(zone_name: str, start: int, length: int) -> None:
    zone = get_zone(zone_name)
    start += _2020
    spans = offset_spans(zone, start, start + length)
    assert spans == _sampled_spans(zone, start, start + length)
    assert spans[0].start == start
    assert spans[-1].end == start + length
    assert all(a.end == b.start and a.offset != b.offset for a, b in itertools.pairwise(spans))


def test_spans_join_across_block_boundaries() -> None:
    """Around each block boundary of eight years, the spans are the zone's own, not cut at the boundary."""
    zone = get_zone("America/New_York")
    for block in range(_2020 // _BLOCK_SECONDS, _2020 // _BLOCK_SECONDS + 200):
        boundary = block * _BLOCK_SECONDS
        assert offset_spans(zone, boundary - DAY_SECONDS, boundary + DAY_SECONDS) == _sampled_spans(
            zone, boundary - DAY_SECONDS, boundary + DAY_SECONDS
        )
