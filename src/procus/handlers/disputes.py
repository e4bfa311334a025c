"""Disputes: a client disputes a finished call or confirms it went well; admins judge and resolve."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec
from litestar import Controller, get, post
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.domain.admin_audit import AdminActor
from procus.domain.disputes import MAX_DISPUTE_TEXT, Dispute, DisputeReason, DisputeStatus, Resolution
from procus.domain.limits import MAX_REASON_LENGTH
from procus.handlers.admin_bookings import AttendanceOut
from procus.services.trust.disputes import DisputeService

__all__ = ["AdminDisputesController", "BookingDisputeController"]


class DisputeIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: DisputeReason
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_DISPUTE_TEXT, description="What happened")]


class DisputeOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    booking_id: uuid.UUID
    client_id: uuid.UUID
    expert_id: uuid.UUID
    reason: DisputeReason
    text: str
    status: DisputeStatus
    resolution: Resolution | None
    refund_bps: int | None
    resolution_reason: str | None
    resolved_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, dispute: Dispute) -> DisputeOut:
        return cls(
            id=dispute.id,
            booking_id=dispute.booking_id,
            client_id=dispute.client_id,
            expert_id=dispute.expert_id,
            reason=dispute.reason,
            text=dispute.description,
            status=dispute.status,
            resolution=dispute.resolution,
            refund_bps=dispute.refund_bps,
            resolution_reason=dispute.resolution_reason,
            resolved_at=dispute.resolved_at,
            created_at=dispute.created_at,
        )


class DisputeCaseOut(msgspec.Struct, frozen=True, kw_only=True):
    dispute: DisputeOut
    starts_at: dt.datetime
    ends_at: dt.datetime
    ended_at: dt.datetime | None
    ended_early: Annotated[bool, msgspec.Meta(description="Ended before half its scheduled duration")]
    attendance: Annotated[list[AttendanceOut], msgspec.Meta(description="Who joined and left when (LiveKit)")]


class ResolutionIn(msgspec.Struct, forbid_unknown_fields=True):
    resolution: Resolution
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_LENGTH)]
    refund_bps: Annotated[int, msgspec.Meta(ge=1, le=9999, description="For partial_refund only")] | None = None


class BookingDisputeController(Controller):
    path = "/v1/bookings/{booking_id:uuid}"
    tags = ["disputes"]

    @post("/dispute", operation_id="openDispute", status_code=201)
    async def open_dispute(
        self, booking_id: uuid.UUID, data: DisputeIn, disputes: DisputeService, principal: Principal
    ) -> DisputeOut:
        """The client disputes a finished call within the dispute window; the expert's payment waits for an admin."""
        return DisputeOut.of(await disputes.open(principal, booking_id, data.reason, data.text))

    @get("/dispute", operation_id="getBookingDispute")
    async def get_dispute(self, booking_id: uuid.UUID, disputes: DisputeService, principal: Principal) -> DisputeOut:
        return DisputeOut.of(await disputes.for_booking(principal, booking_id))

    @post("/confirm-call", operation_id="confirmCallWentWell", status_code=204)
    async def confirm(self, booking_id: uuid.UUID, disputes: DisputeService, principal: Principal) -> None:
        """The client confirms the call went well: the expert is paid now instead of when the window closes."""
        await disputes.confirm(principal, booking_id)


class AdminDisputesController(Controller):
    path = "/v1/admin/disputes"
    tags = ["admin"]

    @get(operation_id="listDisputes")
    async def list_disputes(
        self,
        disputes: DisputeService,
        admin_actor: AdminActor,
        status: Literal["open", "resolved"] | None = "open",
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
    ) -> list[DisputeOut]:
        """Disputes, open ones first and oldest first."""
        return [DisputeOut.of(d) for d in await disputes.cases(admin_actor, status, limit)]

    @get("/{dispute_id:uuid}", operation_id="getDisputeCase")
    async def case(self, dispute_id: uuid.UUID, disputes: DisputeService, admin_actor: AdminActor) -> DisputeCaseOut:
        """The dispute with the attendance evidence."""
        found = await disputes.case(admin_actor, dispute_id)
        return DisputeCaseOut(
            dispute=DisputeOut.of(found.dispute),
            starts_at=found.starts_at,
            ends_at=found.ends_at,
            ended_at=found.ended_at,
            ended_early=found.ended_early,
            attendance=[AttendanceOut.of(event) for event in found.attendance],
        )

    @post("/{dispute_id:uuid}/resolve", operation_id="resolveDispute", status_code=200)
    async def resolve(
        self, dispute_id: uuid.UUID, data: ResolutionIn, disputes: DisputeService, admin_actor: AdminActor
    ) -> DisputeOut:
        """Release to the expert, or refund the client part or all; both are told, the decision is audited."""
        resolved = await disputes.resolve(admin_actor, dispute_id, data.resolution, data.refund_bps, data.reason)
        return DisputeOut.of(resolved)
