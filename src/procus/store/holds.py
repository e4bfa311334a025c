"""Time holds: the calendar time bookings take out, guarded by the ``time_holds_no_overlap`` constraint.

Each active booking holds one row per participant: the expert's blocked range (buffers included)
and the client's plain call range; a pending reschedule proposal holds its new time the same way.
PostgreSQL refuses a hold that overlaps another active hold of the same person, so two requests for
one slot can never both succeed, whatever the application checked beforehand.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import uuid
from collections.abc import Iterable, Sequence
from typing import Literal

import asyncpg

from procus.domain.availability import BusyInterval
from procus.domain.errors import Conflict, NotFound
from procus.store.db import Connection

__all__ = [
    "BUSY_HOLDS",
    "BUSY_INTERVALS",
    "HoldKind",
    "busy_intervals",
    "busy_of",
    "delete_holds",
    "held_range",
    "hold_time",
    "promote_proposal",
]

HoldKind = Literal["booking", "proposal"]

BUSY_HOLDS = "h.holder_id = e.id AND h.active AND h.during && tstzrange($2, $3, '[)')"
"""Which ``time_holds h`` are busy time for holder ``e.id`` in ``[$2, $3)``: the slot engine's busy
intervals below, and the labelled held time that explains a refused start (``store.held_time``)."""
BUSY_INTERVALS = f"""
SELECT e.id AS holder_id, lower(h.during) AS start, upper(h.during) AS end
FROM unnest($1::uuid[]) AS e(id)
JOIN time_holds h ON {BUSY_HOLDS}
WHERE $4::uuid IS NULL OR h.booking_id <> $4
ORDER BY 1, 2, 3
"""
LOCK_HOLDER = "SELECT pg_advisory_xact_lock(hashtextextended('time_holds:' || $1::uuid::text, 0))"
INSERT_HOLD = """
INSERT INTO time_holds (booking_id, kind, holder_id, side, during)
VALUES ($1, $2, $3, $4, tstzrange($5, $6, '[)'))
"""
SELECT_HELD_RANGE = """
SELECT lower(during) AS start, upper(during) AS end FROM time_holds WHERE booking_id = $1 AND kind = $2 AND side = $3
"""
DELETE_HOLDS = "DELETE FROM time_holds WHERE booking_id = $1 AND kind = $2"
PROMOTE_PROPOSAL = "UPDATE time_holds SET kind = 'booking' WHERE booking_id = $1 AND kind = 'proposal'"


async def busy_intervals(
    conn: Connection,
    holder_ids: Sequence[uuid.UUID],
    window_start: dt.datetime,
    window_end: dt.datetime,
    *,
    exclude_booking: uuid.UUID | None = None,
) -> dict[uuid.UUID, list[BusyInterval]]:
    """Each person's taken time overlapping ``[window_start, window_end)``, for the slot engine, in one query.

    These are the active holds of the person, whichever side they are on: the blocked ranges of
    their pending, confirmed and rescheduling bookings as expert (buffers included), the time held
    by reschedule proposals, and any call they booked as a client. To find every interval that can
    collide with a candidate slot, widen the window by the call length and the expert's buffers.
    ``exclude_booking`` leaves out one booking's own holds, e.g. when moving it. People with no
    taken time are missing from the result.
    """
    rows = await conn.fetch(BUSY_INTERVALS, list(holder_ids), window_start, window_end, exclude_booking)
    return {holder_id: _intervals(holder_rows) for holder_id, holder_rows in itertools.groupby(rows, key=_holder)}


async def busy_of(
    conn: Connection,
    holder_id: uuid.UUID,
    window_start: dt.datetime,
    window_end: dt.datetime,
    *,
    exclude_booking: uuid.UUID | None = None,
) -> list[BusyInterval]:
    """``busy_intervals`` for one person (a slot list's expert), without grouping the rows by person."""
    return _intervals(await conn.fetch(BUSY_INTERVALS, [holder_id], window_start, window_end, exclude_booking))


def _intervals(rows: Iterable[asyncpg.Record]) -> list[BusyInterval]:
    """``BUSY_INTERVALS`` rows as intervals; read by position, the cheapest way into a record."""
    return [BusyInterval(row[1], row[2]) for row in rows]


_holder = operator.itemgetter(0)
"""A ``BUSY_INTERVALS`` row's holder; the rows come grouped by holder (``ORDER BY 1``)."""


async def hold_time(
    conn: Connection,
    *,
    booking_id: uuid.UUID,
    kind: HoldKind,
    expert_id: uuid.UUID,
    client_id: uuid.UUID,
    blocked: tuple[dt.datetime, dt.datetime],
    call: tuple[dt.datetime, dt.datetime],
) -> None:
    """Reserve ``blocked`` for the expert and ``call`` for the client, or raise 409.

    ``slot_taken`` when the expert is busy, ``overlapping_booking`` when the client already has a
    booking then. The exclusion constraint decides; the per-person advisory locks taken first (in
    holder-id order, held to the end of the transaction) only make rivals for the same person queue
    instead of both inserting and then waiting on each other, which PostgreSQL would resolve by
    aborting one of them as a deadlock after a second.
    """
    rows = sorted([(expert_id, "expert", blocked), (client_id, "client", call)], key=lambda row: row[0])
    for holder_id, _, _ in rows:
        await conn.execute(LOCK_HOLDER, holder_id)
    for holder_id, side, (start, end) in rows:
        try:
            await conn.execute(INSERT_HOLD, booking_id, kind, holder_id, side, start, end)
        except asyncpg.ExclusionViolationError:
            if side == "expert":
                raise Conflict("slot_taken", "That time was just taken; pick another slot") from None
            raise Conflict("overlapping_booking", "The client already has a booking at that time") from None


async def delete_holds(conn: Connection, booking_id: uuid.UUID, kind: HoldKind) -> None:
    await conn.execute(DELETE_HOLDS, booking_id, kind)


async def promote_proposal(conn: Connection, booking_id: uuid.UUID) -> None:
    """The proposal becomes the booking's time: its rows already hold it, so this cannot conflict."""
    await conn.execute(DELETE_HOLDS, booking_id, "booking")
    await conn.execute(PROMOTE_PROPOSAL, booking_id)


async def held_range(
    conn: Connection, booking_id: uuid.UUID, kind: HoldKind, side: Literal["expert", "client"]
) -> tuple[dt.datetime, dt.datetime]:
    row = await conn.fetchrow(SELECT_HELD_RANGE, booking_id, kind, side)
    if row is None:
        raise NotFound("hold_not_found", "This booking holds no such time")
    return row["start"], row["end"]
