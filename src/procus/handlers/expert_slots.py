"""/v1/experts/me/slots and /slot-check: the expert's preview of their slots, and why a time is not one."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.domain.slot_window import parse_rfc3339
from procus.handlers.expert_schemas import AreaOut
from procus.handlers.marketplace import SlotsOut
from procus.services.experts.slot_reasons import SlotCheck, SlotReason, SlotReasons
from procus.services.experts.slots import SlotService

__all__ = ["ExpertSlotsController"]

ReasonCode = Annotated[
    str,
    msgspec.Meta(
        description="inside_minimum_notice, beyond_horizon, off_slot_grid, outside_weekly_hours, day_off, "
        "replaced_hours, hours_taken_out, already_booked, buffer; and about the listing: area_inactive, "
        "awaiting_approval, approval_rejected, profile_unpublished, account_suspended"
    ),
]


class HeldBookingOut(msgspec.Struct, frozen=True, kw_only=True):
    """The booking whose time (or buffers) the start runs into."""

    id: uuid.UUID
    title: str
    other_party: str
    """The client's name; the expert's when the expert booked the call as a client."""
    start: dt.datetime
    end: dt.datetime
    held_from: dt.datetime
    """The held range, buffers included."""
    held_to: dt.datetime
    proposal: bool
    as_client: bool


class SlotReasonOut(msgspec.Struct, frozen=True, kw_only=True):
    code: ReasonCode
    detail: str
    override_date: dt.date | None
    booking: HeldBookingOut | None

    @classmethod
    def of(cls, reason: SlotReason) -> SlotReasonOut:
        held = reason.booking
        booking = None
        if held is not None:
            booking = HeldBookingOut(
                id=held.booking_id,
                title=held.title,
                other_party=held.other_party,
                start=held.held.call.start,
                end=held.held.call.end,
                held_from=held.held.busy.start,
                held_to=held.held.busy.end,
                proposal=held.proposal,
                as_client=held.as_client,
            )
        return cls(code=reason.code, detail=reason.detail, override_date=reason.override_date, booking=booking)


class SlotCheckOut(msgspec.Struct, frozen=True, kw_only=True):
    area: AreaOut
    time_zone: str
    """The expert's zone, in which overrides and weekly hours are read."""
    start: dt.datetime
    bookable: bool
    """Whether clients are offered this start right now; if not, ``reasons`` says why (all that apply)."""
    reasons: list[SlotReasonOut]
    earliest_start: dt.datetime
    """The first start the minimum notice allows."""
    latest_start: dt.datetime
    """The last start the booking horizon allows."""
    day_slots: list[dt.datetime]
    """Starts clients are offered on the same local date: the alternatives."""

    @classmethod
    def of(cls, check: SlotCheck) -> SlotCheckOut:
        return cls(
            area=AreaOut.of(check.area),
            time_zone=check.time_zone,
            start=check.start,
            bookable=check.bookable,
            reasons=[SlotReasonOut.of(reason) for reason in check.reasons],
            earliest_start=check.earliest_start,
            latest_start=check.latest_start,
            day_slots=check.day_slots,
        )


class ExpertSlotsController(Controller):
    path = "/v1/experts/me"
    tags = ["expert"]

    @get("/slots", operation_id="listMySlots")
    async def list_slots(
        self,
        slot_service: SlotService,
        expert: Principal,
        area_id: uuid.UUID,
        window_from: Annotated[str | None, Parameter(query="from", description="RFC 3339; default now")] = None,
        window_to: Annotated[
            str | None, Parameter(query="to", description="RFC 3339, at most 62 days after from; default from + 7 days")
        ] = None,
        tz: Annotated[str | None, Parameter(max_length=64, description="IANA zone: adds by_local_date")] = None,
    ) -> SlotsOut:
        """Exactly what ``listExpertSlots`` gives clients, also while the profile is not listed yet."""
        found = await slot_service.list_own_slots(
            expert,
            area_id,
            parse_rfc3339(window_from, "from") if window_from is not None else None,
            parse_rfc3339(window_to, "to") if window_to is not None else None,
            group_in=tz,
        )
        return SlotsOut.of(found)

    @get("/slot-check", operation_id="checkMySlot")
    async def check_slot(
        self,
        slot_reasons: SlotReasons,
        expert: Principal,
        area_id: uuid.UUID,
        start: Annotated[str, Parameter(description="RFC 3339 instant, e.g. 2027-01-04T10:30:00+01:00")],
    ) -> SlotCheckOut:
        """Why isn't this time bookable? Every rule the start breaks, from the engine that lists slots."""
        return SlotCheckOut.of(await slot_reasons.check(expert, area_id, parse_rfc3339(start, "start")))
