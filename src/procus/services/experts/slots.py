"""Bookable slots: the public slot list, and the one check a booking (or a move) makes before it holds time.

Both load their inputs with ``store.availability.load_slot_inputs`` (two queries) and decide with
the pure slot engine, so what the list offers and what booking accepts are the same computation.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.availability import blocked_range
from procus.domain.bookings import Booking
from procus.domain.errors import Conflict, NotFound
from procus.domain.experts import ExpertiseArea, SlotInputs
from procus.domain.slot_window import DEFAULT_WINDOW, validate_grouping_zone, validate_window
from procus.domain.slots import compute_slots, group_by_local_date, is_slot_available
from procus.services.ports.clock import Clock
from procus.store import availability, blocks
from procus.store.db import Connection, Database

__all__ = ["BookableSlot", "SlotList", "SlotService", "check_slot"]


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
        raise NotFound.no_such("expert")
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
        return await self._list(
            expert_id, area_id, window_start, window_end, group_in=group_in, public=True, viewer_id=viewer_id
        )

    async def list_own_slots(
        self,
        expert: Principal,
        area_id: uuid.UUID,
        window_start: dt.datetime | None = None,
        window_end: dt.datetime | None = None,
        *,
        group_in: str | None = None,
    ) -> SlotList:
        """The expert's preview: the slots clients would get, also while unlisted or the area inactive."""
        expert.require_role(Role.EXPERT)
        return await self._list(expert.user_id, area_id, window_start, window_end, group_in=group_in, public=False)

    async def _list(
        self,
        expert_id: uuid.UUID,
        area_id: uuid.UUID,
        window_start: dt.datetime | None,
        window_end: dt.datetime | None,
        *,
        group_in: str | None,
        public: bool,
        viewer_id: uuid.UUID | None = None,
    ) -> SlotList:
        window_start = window_start or self._clock.now()
        window_end = window_end or window_start + DEFAULT_WINDOW
        validate_window(window_start, window_end)
        if group_in is not None:
            validate_grouping_zone(group_in)
        async with self._db.connection() as conn:
            inputs = await availability.load_slot_inputs(conn, expert_id, area_id, window_start, window_end)
            kept_apart = viewer_id is not None and await blocks.blocked_between(conn, viewer_id, expert_id)
        area = _require_offered(inputs) if public else inputs.area
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


class BookableSlot(msgspec.Struct, frozen=True, kw_only=True):
    """A start the expert can take: the call's time, the expert's blocked range (buffers included), the area."""

    start: dt.datetime
    end: dt.datetime
    blocked: tuple[dt.datetime, dt.datetime]
    area: ExpertiseArea


async def check_slot(
    conn: Connection,
    *,
    expert_id: uuid.UUID,
    area_id: uuid.UUID,
    start: dt.datetime,
    now: dt.datetime,
    moving: Booking | None = None,
) -> BookableSlot:
    """Whether a call may start at ``start``: the same computation as the slot list, for one instant.

    ``moving`` is a booking being rescheduled: its own held time does not count, it keeps its
    length, and its area need not be offered any more. The exclusion constraint has the final word;
    this check gives the precise reason early (``slot_taken`` when someone holds the time,
    ``slot_unavailable`` when the expert is not open then, ``area_not_found`` when the area is not
    offered for booking) and refuses times the constraint cannot know about (hours, notice, horizon).
    """
    exclude = moving.id if moving is not None else None
    inputs = await availability.load_slot_inputs(
        conn, expert_id, area_id, start, start + _INSTANT, exclude_booking_id=exclude
    )
    if moving is None and not (inputs.expert_listed and inputs.area.active):
        raise NotFound("area_not_found", "This expert does not offer that area for booking")
    duration = moving.duration_minutes if moving is not None else inputs.area.duration_minutes
    hours = inputs.availability
    if not is_slot_available(hours, inputs.busy, start=start, duration_minutes=duration, now=now):
        if is_slot_available(hours, (), start=start, duration_minutes=duration, now=now):
            raise Conflict("slot_taken", "That time was just taken; pick another slot")
        raise Conflict("slot_unavailable", "That time is not one of the expert's open slots")
    blocked = blocked_range(start, duration, hours.settings)
    return BookableSlot(start=start, end=start + dt.timedelta(minutes=duration), blocked=blocked, area=inputs.area)


_INSTANT = dt.timedelta(microseconds=1)
