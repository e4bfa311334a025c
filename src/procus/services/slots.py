"""Bookable slots: the public slot list, and the re-check a booking makes before it holds time.

Both load their inputs with ``store.availability.load_slot_inputs`` (two queries) and decide with
the pure slot engine, so what the list offers and what booking accepts are the same computation.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.errors import Conflict, NotFound
from procus.domain.experts import ExpertiseArea, SlotInputs
from procus.domain.slot_window import DEFAULT_WINDOW, validate_grouping_zone, validate_window
from procus.domain.slots import compute_slots, group_by_local_date, is_slot_available
from procus.services.ports.clock import Clock
from procus.store import availability, blocks
from procus.store.db import Connection, Database

__all__ = ["SlotList", "SlotService"]


class SlotList(msgspec.Struct, frozen=True, kw_only=True):
    expert_id: uuid.UUID
    area_id: uuid.UUID
    duration_minutes: int
    window_start: dt.datetime
    window_end: dt.datetime
    slots: list[dt.datetime]
    time_zone: str | None = None
    by_local_date: dict[dt.date, list[dt.datetime]] | None = None


def _require_offered(inputs: SlotInputs) -> ExpertiseArea:
    if not inputs.expert_listed:
        raise NotFound("expert_not_found", "No such expert")
    if not inputs.area.active:
        raise Conflict("area_inactive", "This area of expertise is no longer offered")
    return inputs.area


class SlotService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def list_slots(
        self,
        expert_id: uuid.UUID,
        area_id: uuid.UUID,
        window_start: dt.datetime | None = None,
        window_end: dt.datetime | None = None,
        *,
        group_in: str | None = None,
        viewer_id: uuid.UUID | None = None,
    ) -> SlotList:
        """Slot starts for a call in ``area_id``, by default from now for a week.

        ``group_in`` (an IANA zone) adds a by-local-date view of the same instants. A ``viewer_id``
        blocked by the expert, or who blocked them, sees no slots.
        """
        window_start = window_start or self._clock.now()
        window_end = window_end or window_start + DEFAULT_WINDOW
        validate_window(window_start, window_end)
        if group_in is not None:
            validate_grouping_zone(group_in)
        async with self._db.connection() as conn:
            inputs = await availability.load_slot_inputs(conn, expert_id, area_id, window_start, window_end)
            kept_apart = viewer_id is not None and await blocks.blocked_between(conn, viewer_id, expert_id)
        area = _require_offered(inputs)
        slots = (
            []
            if kept_apart
            else compute_slots(
                inputs.availability,
                inputs.busy,
                duration_minutes=area.duration_minutes,
                now=self._clock.now(),
                window_start=window_start,
                window_end=window_end,
            )
        )
        return SlotList(
            expert_id=expert_id,
            area_id=area_id,
            duration_minutes=area.duration_minutes,
            window_start=window_start,
            window_end=window_end,
            slots=slots,
            time_zone=group_in,
            by_local_date=group_by_local_date(slots, group_in) if group_in is not None else None,
        )

    async def check_bookable(
        self,
        expert_id: uuid.UUID,
        area_id: uuid.UUID,
        start: dt.datetime,
        *,
        now: dt.datetime | None = None,
        conn: Connection | None = None,
        exclude_booking_id: uuid.UUID | None = None,
    ) -> ExpertiseArea:
        """The area if a call in it may start at ``start``; otherwise the reason as an error.

        Pass ``conn`` to run inside the caller's transaction, and ``exclude_booking_id`` when moving
        an existing booking so its own held time does not count against it. Raises NotFound
        (``area_not_found``, ``expert_not_found``) or Conflict (``area_inactive``, ``slot_unavailable``).
        """
        moment = now or self._clock.now()
        window_end = start + dt.timedelta(microseconds=1)
        async with self._db.connection(reuse=conn) as used:
            inputs = await availability.load_slot_inputs(
                used, expert_id, area_id, start, window_end, exclude_booking_id=exclude_booking_id
            )
        area = _require_offered(inputs)
        free = is_slot_available(
            inputs.availability, inputs.busy, start=start, duration_minutes=area.duration_minutes, now=moment
        )
        if not free:
            raise Conflict("slot_unavailable", "That time is not available any more; pick another slot")
        return area

    async def is_bookable(
        self,
        expert_id: uuid.UUID,
        area_id: uuid.UUID,
        start: dt.datetime,
        *,
        now: dt.datetime | None = None,
        conn: Connection | None = None,
        exclude_booking_id: uuid.UUID | None = None,
    ) -> bool:
        """Whether ``check_bookable`` would accept; an unknown area still raises NotFound."""
        try:
            await self.check_bookable(
                expert_id, area_id, start, now=now, conn=conn, exclude_booking_id=exclude_booking_id
            )
        except Conflict:
            return False
        except NotFound as error:
            if error.code == "expert_not_found":
                return False
            raise
        return True
