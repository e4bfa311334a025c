"""What the directory keeps of an expert's slots: the next free start and every free start of a window.

Both come from the one slot engine (``compute_slot_runs``: ``compute_slots``' answer as runs
``(first, last)`` of starts exactly ``step`` apart), so "is there a start in ``[a, b)``" is
answered from a run's first start and the step (``directory_has_start`` in the database).

Time alone changes the answer in two ways: a start enters the notice window and stops being
bookable, and new starts enter at the far end of the window or horizon. ``fresh_until`` says when
the first of these can happen; before then the packed answer equals the engine's for any ``now``
(the engine's slots at a later ``now`` are its slots at ``computed_at`` minus those inside the
notice window, plus new ones beyond the old end).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import msgspec

from procus.domain.availability import Availability, BusyInterval
from procus.domain.slots import compute_slot_runs

__all__ = ["FreeTime", "compute_free_time"]


class FreeTime(msgspec.Struct, frozen=True, kw_only=True):
    duration_minutes: int
    next_free: dt.datetime | None
    runs: tuple[tuple[dt.datetime, dt.datetime], ...]
    step: dt.timedelta
    notice: dt.timedelta
    computed_at: dt.datetime
    fresh_until: dt.datetime


def compute_free_time(
    availability: Availability,
    busy: Sequence[BusyInterval],
    *,
    durations: Sequence[int],
    now: dt.datetime,
    window: dt.timedelta,
    far_end_refresh: dt.timedelta,
    empty_refresh: dt.timedelta,
) -> list[FreeTime]:
    """The engine's slots from ``now`` over ``window`` for each call length, as runs.

    ``fresh_until`` is the moment the next start enters the notice window, but at most
    ``far_end_refresh`` away (new starts at the far end); with no start at all, ``empty_refresh``.
    """
    settings = availability.settings
    by_length = compute_slot_runs(
        availability, busy, durations=durations, now=now, window_start=now, window_end=now + window
    )
    step = dt.timedelta(minutes=settings.slot_step_minutes)
    notice = dt.timedelta(minutes=settings.min_notice_minutes)
    found = []
    for duration, runs in by_length.items():
        next_free = runs[0][0] if runs else None
        fresh_until = now + empty_refresh if next_free is None else min(next_free - notice, now + far_end_refresh)
        found.append(
            FreeTime(
                duration_minutes=duration,
                next_free=next_free,
                runs=tuple(runs),
                step=step,
                notice=notice,
                computed_at=now,
                fresh_until=fresh_until,
            )
        )
    return found
