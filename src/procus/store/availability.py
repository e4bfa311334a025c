"""Availability: weekly rules, date overrides and booking settings, and the busy time the slot engine avoids.

Rules and overrides come back aggregated as JSON text from one row and are decoded straight into
domain structs by typed msgspec decoders, so reading an expert's whole availability is one query.
Busy time is the expert's active ``time_holds``: the same rows the exclusion constraint compares a
new booking against, so the slot engine and the database agree on what is free.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg
import msgspec

from procus.domain.availability import (
    Availability,
    BookingSettings,
    BusyInterval,
    DateOverride,
    WeeklyRule,
)
from procus.domain.errors import NotFound
from procus.domain.experts import SlotInputs
from procus.store import holds
from procus.store.areas import row_to_area
from procus.store.db import Connection

__all__ = [
    "BUSY_MARGIN",
    "get_availability",
    "load_availabilities",
    "load_busy",
    "load_slot_inputs",
    "replace_availability",
]

# A call starting inside a window may end up to 240 min after it and buffers reach 240 min further
# either way, so busy time this far outside the window can still rule a start out.
BUSY_MARGIN = dt.timedelta(minutes=240 + 240)
# Local dates differ from UTC dates by at most a day (offsets stay within +-14 h).
_DATE_MARGIN = dt.timedelta(days=2)

_AVAILABILITY_COLUMNS = """
    p.time_zone, p.min_notice_minutes, p.horizon_days, p.buffer_before_minutes, p.buffer_after_minutes,
    p.slot_step_minutes,
    (SELECT coalesce(json_agg(json_build_object('weekday', r.weekday, 'start_minute', r.start_minute,
                'end_minute', r.end_minute) ORDER BY r.weekday, r.start_minute), '[]')::text
       FROM availability_rules r WHERE r.expert_id = p.user_id) AS rules,
    (SELECT coalesce(json_agg(json_build_object('date', o.local_date, 'kind', o.kind, 'ranges', o.ranges)
                ORDER BY o.local_date), '[]')::text
       FROM availability_overrides o
      WHERE o.expert_id = p.user_id AND o.local_date BETWEEN {first_date} AND {last_date}) AS overrides
"""

SELECT_AVAILABILITY = f"""
SELECT {_AVAILABILITY_COLUMNS.format(first_date="$2", last_date="$3")}
FROM expert_profiles p WHERE p.user_id = $1
"""
SELECT_AVAILABILITIES = f"""
SELECT p.user_id, {_AVAILABILITY_COLUMNS.format(first_date="$2", last_date="$3")}
FROM expert_profiles p WHERE p.user_id = ANY($1::uuid[])
"""
SELECT_SLOT_SETUP = f"""
SELECT a.id, a.expert_id, a.title, a.description, a.category, a.price_amount, a.currency, a.duration_minutes,
       a.active, a.created_at, a.updated_at,
       (p.published AND p.approval = 'approved' AND u.is_active) AS expert_listed,
       {_AVAILABILITY_COLUMNS.format(first_date="$3", last_date="$4")}
FROM expertise_areas a
JOIN expert_profiles p ON p.user_id = a.expert_id
JOIN users u ON u.id = a.expert_id
WHERE a.id = $2 AND a.expert_id = $1
"""
UPDATE_SETTINGS = """
UPDATE expert_profiles SET time_zone = $2, min_notice_minutes = $3, horizon_days = $4, buffer_before_minutes = $5,
    buffer_after_minutes = $6, slot_step_minutes = $7, updated_at = now()
WHERE user_id = $1
RETURNING user_id
"""
DELETE_RULES = "DELETE FROM availability_rules WHERE expert_id = $1"
INSERT_RULES = """
INSERT INTO availability_rules (expert_id, weekday, start_minute, end_minute)
SELECT $1, weekday, start_minute, end_minute
FROM unnest($2::smallint[], $3::smallint[], $4::smallint[]) AS r(weekday, start_minute, end_minute)
"""
DELETE_OVERRIDES = "DELETE FROM availability_overrides WHERE expert_id = $1"
INSERT_OVERRIDES = """
INSERT INTO availability_overrides (expert_id, local_date, kind, ranges)
SELECT $1, o.date, o.kind, o.ranges
FROM jsonb_to_recordset($2::text::jsonb) AS o(date date, kind text, ranges jsonb)
"""

_rules_decoder = msgspec.json.Decoder(tuple[WeeklyRule, ...])
_overrides_decoder = msgspec.json.Decoder(tuple[DateOverride, ...])
_encoder = msgspec.json.Encoder()


def _to_availability(row: asyncpg.Record) -> Availability:
    return Availability(
        timezone=row["time_zone"],
        rules=_rules_decoder.decode(row["rules"]),
        overrides=_overrides_decoder.decode(row["overrides"]),
        settings=BookingSettings(
            min_notice_minutes=row["min_notice_minutes"],
            horizon_days=row["horizon_days"],
            buffer_before_minutes=row["buffer_before_minutes"],
            buffer_after_minutes=row["buffer_after_minutes"],
            slot_step_minutes=row["slot_step_minutes"],
        ),
    )


def _local_dates(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    return (start - _DATE_MARGIN).date(), (end + _DATE_MARGIN).date()


async def get_availability(conn: Connection, expert_id: uuid.UUID) -> Availability:
    """The expert's whole availability, every override included."""
    row = await conn.fetchrow(SELECT_AVAILABILITY, expert_id, dt.date.min, dt.date.max)
    if row is None:
        raise NotFound.no_such("expert")
    return _to_availability(row)


async def replace_availability(conn: Connection, expert_id: uuid.UUID, availability: Availability) -> None:
    """Swap the whole set; run it in a transaction. Updating the profile row first serialises writers."""
    settings = availability.settings
    updated = await conn.fetchval(
        UPDATE_SETTINGS,
        expert_id,
        availability.timezone,
        settings.min_notice_minutes,
        settings.horizon_days,
        settings.buffer_before_minutes,
        settings.buffer_after_minutes,
        settings.slot_step_minutes,
    )
    if updated is None:
        raise NotFound.no_such("expert")
    await conn.execute(DELETE_RULES, expert_id)
    await conn.execute(DELETE_OVERRIDES, expert_id)
    rules = availability.rules
    if rules:
        await conn.execute(
            INSERT_RULES,
            expert_id,
            [rule.weekday for rule in rules],
            [rule.start_minute for rule in rules],
            [rule.end_minute for rule in rules],
        )
    if availability.overrides:
        await conn.execute(INSERT_OVERRIDES, expert_id, _encoder.encode(availability.overrides).decode())


async def load_slot_inputs(
    conn: Connection,
    expert_id: uuid.UUID,
    area_id: uuid.UUID,
    window_start: dt.datetime,
    window_end: dt.datetime,
    *,
    exclude_booking_id: uuid.UUID | None = None,
) -> SlotInputs:
    """What ``compute_slots`` needs for ``area_id`` of ``expert_id`` over a window, in two queries.

    Overrides and busy time are limited to what can affect a start inside the window; time held
    by ``exclude_booking_id`` (a booking being moved) is not busy. An area that does not exist or
    belongs to another expert is NotFound; an inactive one is returned as it is.
    """
    first_date, last_date = _local_dates(window_start, window_end)
    row = await conn.fetchrow(SELECT_SLOT_SETUP, expert_id, area_id, first_date, last_date)
    if row is None:
        raise NotFound("area_not_found", "No such area of expertise for this expert")
    busy = await holds.busy_of(
        conn, expert_id, window_start - BUSY_MARGIN, window_end + BUSY_MARGIN, exclude_booking=exclude_booking_id
    )
    return SlotInputs(
        area=row_to_area(row),
        availability=_to_availability(row),
        busy=tuple(busy),
        expert_listed=row["expert_listed"],
    )


async def load_availabilities(
    conn: Connection, expert_ids: Sequence[uuid.UUID], start: dt.datetime, end: dt.datetime
) -> dict[uuid.UUID, Availability]:
    """Several experts' availability for slots starting in ``[start, end)``, in one query."""
    first_date, last_date = _local_dates(start, end)
    rows = await conn.fetch(SELECT_AVAILABILITIES, list(expert_ids), first_date, last_date)
    return {row["user_id"]: _to_availability(row) for row in rows}


async def load_busy(
    conn: Connection, expert_ids: Sequence[uuid.UUID], start: dt.datetime, end: dt.datetime
) -> dict[uuid.UUID, list[BusyInterval]]:
    """Several experts' busy time that can affect slots starting in ``[start, end)``, in one query."""
    return await holds.busy_intervals(conn, expert_ids, start - BUSY_MARGIN, end + BUSY_MARGIN)
