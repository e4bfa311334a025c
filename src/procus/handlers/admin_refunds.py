"""/v1/admin/refunds: refunds that failed or whose outcome is unknown, and sending them again."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.domain.admin_audit import AdminActor
from procus.handlers.payment_schemas import RefundOut, RefundRequeue
from procus.services.payments import RefundService

__all__ = ["AdminRefundsController"]


class AdminRefundsController(Controller):
    path = "/v1/admin/refunds"
    tags = ["admin"]

    @get(operation_id="listRefundsNeedingAttention")
    async def needing_attention(
        self, refunds: RefundService, admin: Principal, limit: Annotated[int, Parameter(ge=1, le=500)] = 100
    ) -> list[RefundOut]:
        return [RefundOut.of(refund) for refund in await refunds.needing_attention(limit)]

    @post("/{refund_id:uuid}/requeue", operation_id="requeueRefund", status_code=200)
    async def requeue(
        self, refund_id: uuid.UUID, refunds: RefundService, admin_actor: AdminActor, data: RefundRequeue | None = None
    ) -> RefundOut:
        confirmed = data.confirmed_not_refunded if data else False
        return RefundOut.of(await refunds.requeue(admin_actor, refund_id, confirmed_not_refunded=confirmed))
