""" "Why isn't this time bookable?" for the expert, answered by the engine that lists clients' slots.

The inputs are loaded exactly as for a client's slot list (``store.availability.load_slot_inputs``)
except that the busy time comes with the bookings that hold it (``store.held_time``), from the same
holds. Besides the engine's rules, a start is not offered while the expert is not listed (profile
unpublished, not approved, account suspended) or the area is inactive.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.availability import get_zone
from procus.domain.experts import ApprovalStatus, ExpertiseArea, ExpertProfile
from procus.domain.slot_reasons import HeldBooking, Obstacle, ObstacleKind, explain_start
from procus.domain.slots import compute_slots
from procus.services.ports.clock import Clock
from procus.store import availability, experts, held_time
from procus.store.db import Database

__all__ = ["SlotCheck", "SlotReason", "SlotReasons"]

_K = ObstacleKind
_DETAILS = {
    _K.INSIDE_MINIMUM_NOTICE: "Too soon: it is inside your minimum notice.",
    _K.BEYOND_HORIZON: "Too far ahead: it is beyond how far in advance you take bookings.",
    _K.OFF_SLOT_GRID: "Calls start only on your slot step (e.g. :00, :15, :30, :45 with a 15-minute step).",
    _K.OUTSIDE_WEEKLY_HOURS: "The call does not fit inside your weekly hours.",
    _K.DAY_OFF: "You marked this date as a day off.",
    _K.REPLACED_HOURS: "Your hours for this date are replaced, and the call does not fit in them.",
    _K.HOURS_TAKEN_OUT: "You took these hours out of this date.",
    _K.ALREADY_BOOKED: "You already have a call then.",
    _K.BUFFER: "It is too close to another call: your buffers keep this time free.",
}


class SlotReason(msgspec.Struct, frozen=True, kw_only=True):
    """One reason: a code from ``ObstacleKind`` or about the listing, what it means, and what caused it."""

    code: str
    detail: str
    override_date: dt.date | None = None
    booking: HeldBooking | None = None


class SlotCheck(msgspec.Struct, frozen=True, kw_only=True):
    area: ExpertiseArea
    time_zone: str
    start: dt.datetime
    bookable: bool
    """Whether clients are offered this start right now."""
    reasons: list[SlotReason]
    earliest_start: dt.datetime
    latest_start: dt.datetime
    day_slots: list[dt.datetime]
    """The slots clients are offered on the same local date in the expert's zone: the alternatives."""


def _listing_reasons(profile: ExpertProfile, area: ExpertiseArea, listed: bool) -> list[SlotReason]:
    reasons = []
    if not area.active:
        reasons.append(SlotReason(code="area_inactive", detail="This area is deactivated: clients cannot book it."))
    if listed:
        return reasons
    if profile.approval is ApprovalStatus.PENDING:
        reasons.append(SlotReason(code="awaiting_approval", detail="Your profile is waiting for an admin's approval."))
    elif profile.approval is ApprovalStatus.REJECTED:
        reasons.append(SlotReason(code="approval_rejected", detail="Your profile was not approved; see the reason."))
    if not profile.published:
        reasons.append(SlotReason(code="profile_unpublished", detail="Your profile is unpublished."))
    if profile.listed:
        reasons.append(SlotReason(code="account_suspended", detail="Your account is suspended."))
    return reasons


def _engine_reason(obstacle: Obstacle, held: list[HeldBooking]) -> SlotReason:
    booking = held[obstacle.held_index] if obstacle.held_index is not None else None
    return SlotReason(
        code=obstacle.kind.value,
        detail=_DETAILS[obstacle.kind],
        override_date=obstacle.override_date,
        booking=booking,
    )


class SlotReasons:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def check(self, expert: Principal, area_id: uuid.UUID, start: dt.datetime) -> SlotCheck:
        """Whether clients are offered ``start`` in one of the expert's own areas, and every reason not."""
        expert.require_role(Role.EXPERT)
        now = self._clock.now()
        async with self._db.connection() as conn:
            profile = await experts.get_profile(conn, expert.user_id)
            zone = get_zone(profile.time_zone)
            local_day = start.astimezone(zone).date()
            day_start = dt.datetime.combine(local_day, dt.time(), zone).astimezone(dt.UTC)
            day_end = dt.datetime.combine(local_day + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
            inputs = await availability.load_slot_inputs(
                conn, expert.user_id, area_id, min(start, day_start), max(start, day_end)
            )
            held = await held_time.held_bookings(conn, expert.user_id, start)
        area = inputs.area
        explanation = explain_start(
            inputs.availability,
            [item.held for item in held],
            start=start,
            duration_minutes=area.duration_minutes,
            now=now,
        )
        reasons = _listing_reasons(profile, area, inputs.expert_listed)
        reasons += [_engine_reason(obstacle, held) for obstacle in explanation.obstacles]
        day_slots = compute_slots(
            inputs.availability,
            inputs.busy,
            duration_minutes=area.duration_minutes,
            now=now,
            window_start=day_start,
            window_end=day_end,
        )
        offered = explanation.bookable and area.active and inputs.expert_listed
        return SlotCheck(
            area=area,
            time_zone=inputs.availability.timezone,
            start=start,
            bookable=offered,
            reasons=reasons,
            earliest_start=explanation.earliest_start,
            latest_start=explanation.latest_start,
            day_slots=day_slots if area.active and inputs.expert_listed else [],
        )
