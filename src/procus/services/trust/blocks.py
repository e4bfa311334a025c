"""Blocking: one user keeps another away. Either direction keeps a client from an expert: no slots,
no bookings, and the profile says they cannot book. Blocking cancels the pair's bookings that have
not started yet, with a full refund to the client through the bookings' own cancellation (which
tells both and settles the money), all in the block's transaction.
"""

from __future__ import annotations

import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.admin_audit import AdminActor
from procus.domain.blocks import Block
from procus.domain.cancellation import FULL_REFUND_BPS
from procus.domain.errors import InvalidInput
from procus.domain.reasons import validate_reason
from procus.services.bookings import BookingService
from procus.services.ports.clock import Clock
from procus.store import blocks
from procus.store.db import Database

__all__ = ["BLOCK_CANCEL_REASON", "BlockOutcome", "BlockService"]

BLOCK_CANCEL_REASON = "This booking can no longer go ahead between you"
"""What both are told; the block's own reason stays with the blocker and the admins."""


class BlockOutcome(msgspec.Struct, frozen=True, kw_only=True):
    block: Block
    cancelled_bookings: list[uuid.UUID]


class BlockService:
    def __init__(self, db: Database, clock: Clock, bookings: BookingService) -> None:
        self._db = db
        self._clock = clock
        self._bookings = bookings

    async def block(self, principal: Principal, user_id: uuid.UUID, reason: str) -> BlockOutcome:
        """Block ``user_id`` (or change the reason of an existing block) and cancel the pair's future bookings."""
        if user_id == principal.user_id:
            raise InvalidInput("cannot_block_self", "You cannot block yourself", field="user_id")
        text = validate_reason(reason) or ""
        now = self._clock.now()
        cancelled: list[uuid.UUID] = []
        async with self._db.transaction() as tx:
            await blocks.lock_pair(tx, principal.user_id, user_id)
            await blocks.upsert_block(tx, principal.user_id, user_id, text, now)
            for booking_id in await blocks.future_bookings_between(tx, principal.user_id, user_id, now):
                await self._bookings.cancellations.cancel_in(
                    tx, principal, booking_id, BLOCK_CANCEL_REASON, share_bps=FULL_REFUND_BPS
                )
                cancelled.append(booking_id)
            block = await blocks.get_block(tx, principal.user_id, user_id)
        return BlockOutcome(block=block, cancelled_bookings=cancelled)

    async def unblock(self, principal: Principal, user_id: uuid.UUID) -> None:
        async with self._db.transaction() as tx:
            await blocks.delete_block(tx, principal.user_id, user_id)

    async def mine(self, principal: Principal) -> list[Block]:
        async with self._db.connection() as conn:
            return await blocks.list_blocks(conn, blocker_id=principal.user_id)

    async def all_blocks(self, actor: AdminActor, involving: uuid.UUID | None = None, limit: int = 200) -> list[Block]:
        """Every block (or those involving one user), newest first, with reasons: for admins."""
        async with self._db.connection() as conn:
            return await blocks.list_blocks(conn, involving=involving, limit=limit)
