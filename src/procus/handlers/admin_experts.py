"""/v1/admin/experts: approving or rejecting experts for the marketplace."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec
from litestar import Controller, post

from procus.domain.accounts import Principal
from procus.domain.experts import ApprovalStatus
from procus.domain.limits import MAX_REASON_LENGTH
from procus.handlers.expert_schemas import ExpertProfileOut
from procus.services.experts.profiles import ExpertProfileService

__all__ = ["AdminExpertsController"]


class ApprovalIn(msgspec.Struct, forbid_unknown_fields=True):
    status: Literal["approved", "rejected"]
    reason: Annotated[str, msgspec.Meta(max_length=MAX_REASON_LENGTH, description="Shown to the expert")] = ""


class AdminExpertsController(Controller):
    path = "/v1/admin/experts"
    tags = ["admin"]

    @post("/{expert_id:uuid}/approval", operation_id="decideExpertApproval", status_code=200)
    async def decide(
        self, expert_id: uuid.UUID, data: ApprovalIn, expert_profiles: ExpertProfileService, admin: Principal
    ) -> ExpertProfileOut:
        profile = await expert_profiles.decide_approval(admin, expert_id, ApprovalStatus(data.status), data.reason)
        return ExpertProfileOut.of(profile)
