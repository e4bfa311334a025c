"""/v1/admin/experts: the approval queue, approving or rejecting experts, unpublishing them (audited)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from litestar import Controller, get, post
from litestar.params import Parameter

from procus.domain.admin_audit import AdminActor
from procus.domain.experts import ApprovalStatus
from procus.domain.limits import MAX_REASON_LENGTH
from procus.handlers.admin_schemas import AdminLimit, RequiredReason
from procus.handlers.expert_schemas import ExpertProfileOut
from procus.handlers.paging import PageCursor, page_out
from procus.services.admin.experts import AdminExpertService

__all__ = ["AdminExpertsController"]


class ApprovalIn(msgspec.Struct, forbid_unknown_fields=True):
    status: Literal["approved", "rejected"]
    reason: Annotated[str, msgspec.Meta(max_length=MAX_REASON_LENGTH, description="Shown to the expert")] = ""


class ExpertQueueOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ExpertProfileOut]
    next_cursor: str | None


class AdminExpertsController(Controller):
    path = "/v1/admin/experts"
    tags = ["admin"]

    @get(operation_id="listExpertApprovalQueue")
    async def queue(
        self,
        admin_experts: AdminExpertService,
        admin_actor: AdminActor,
        approval: Annotated[ApprovalStatus, Parameter(description="Default: waiting for a decision")] = (
            ApprovalStatus.PENDING
        ),
        limit: AdminLimit = 50,
        cursor: PageCursor = None,
    ) -> ExpertQueueOut:
        """Experts by approval state, longest waiting first."""
        page = await admin_experts.queue(admin_actor, approval, cursor, limit)
        return page_out(ExpertQueueOut, page, ExpertProfileOut.of)

    @post("/{expert_id:uuid}/approval", operation_id="decideExpertApproval", status_code=200)
    async def decide(
        self, expert_id: uuid.UUID, data: ApprovalIn, admin_experts: AdminExpertService, admin_actor: AdminActor
    ) -> ExpertProfileOut:
        profile = await admin_experts.decide_approval(admin_actor, expert_id, ApprovalStatus(data.status), data.reason)
        return ExpertProfileOut.of(profile)

    @post("/{expert_id:uuid}/unpublish", operation_id="unpublishExpert", status_code=200)
    async def unpublish(
        self, expert_id: uuid.UUID, data: RequiredReason, admin_experts: AdminExpertService, admin_actor: AdminActor
    ) -> ExpertProfileOut:
        """Take the expert out of the marketplace, telling them why."""
        return ExpertProfileOut.of(await admin_experts.unpublish(admin_actor, expert_id, data.reason))
