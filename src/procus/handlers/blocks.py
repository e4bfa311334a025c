"""/v1/me/blocks: keeping someone away; /v1/admin/blocks: every block and its reason."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, put
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.domain.admin_audit import AdminActor
from procus.domain.blocks import Block
from procus.handlers.admin_schemas import RequiredReason
from procus.services.trust.blocks import BlockService

__all__ = ["AdminBlocksController", "BlocksController"]


class BlockOut(msgspec.Struct, frozen=True, kw_only=True):
    blocker_id: uuid.UUID
    blocker_name: str
    blocked_id: uuid.UUID
    blocked_name: str
    reason: str
    created_at: dt.datetime

    @classmethod
    def of(cls, block: Block) -> BlockOut:
        return cls(**msgspec.structs.asdict(block))


class BlockCreatedOut(msgspec.Struct, frozen=True, kw_only=True):
    block: BlockOut
    cancelled_bookings: Annotated[
        list[uuid.UUID], msgspec.Meta(description="Bookings between you that were cancelled and fully refunded")
    ]


class BlocksController(Controller):
    path = "/v1/me/blocks"
    tags = ["blocks"]

    @get(operation_id="listMyBlocks")
    async def mine(self, blocks: BlockService, principal: Principal) -> list[BlockOut]:
        return [BlockOut.of(block) for block in await blocks.mine(principal)]

    @put("/{user_id:uuid}", operation_id="blockUser", status_code=200)
    async def block(
        self, user_id: uuid.UUID, data: RequiredReason, blocks: BlockService, principal: Principal
    ) -> BlockCreatedOut:
        """Block someone: they cannot book you (or you them), and your bookings together that have not
        started are cancelled with a full refund to the client; both of you are told."""
        outcome = await blocks.block(principal, user_id, data.reason)
        return BlockCreatedOut(block=BlockOut.of(outcome.block), cancelled_bookings=outcome.cancelled_bookings)

    @delete("/{user_id:uuid}", operation_id="unblockUser", status_code=204)
    async def unblock(self, user_id: uuid.UUID, blocks: BlockService, principal: Principal) -> None:
        await blocks.unblock(principal, user_id)


class AdminBlocksController(Controller):
    path = "/v1/admin/blocks"
    tags = ["admin"]

    @get(operation_id="listBlocks")
    async def all_blocks(
        self,
        blocks: BlockService,
        admin_actor: AdminActor,
        user_id: Annotated[uuid.UUID | None, Parameter(description="Only blocks by or of this user")] = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 200,
    ) -> list[BlockOut]:
        return [BlockOut.of(block) for block in await blocks.all_blocks(admin_actor, user_id, limit)]
