"""Calling a booking off: either participant (or an admin), with the refund the platform's policy gives."""

from __future__ import annotations

import uuid

from procus.domain.accounts import Principal
from procus.domain.booking_states import BookingAction
from procus.services.bookings.closing import BookingClosing
from procus.services.bookings.core import BookingDetails
from procus.services.idempotency import Outcome
from procus.store.db import Connection

__all__ = ["BookingCancellations"]


class BookingCancellations:
    def __init__(self, closing: BookingClosing) -> None:
        self._closing = closing

    async def cancel(
        self, principal: Principal, booking_id: uuid.UUID, reason: str | None, *, idempotency_key: str | None = None
    ) -> Outcome[BookingDetails]:
        """Either participant (or an admin) calls it off; the refund follows the platform's policy."""
        return await self._closing.end_by(
            principal, BookingAction.CANCEL, booking_id, reason, reason_required=True, idempotency_key=idempotency_key
        )

    async def cancel_in(
        self, tx: Connection, principal: Principal, booking_id: uuid.UUID, reason: str, *, share_bps: int
    ) -> BookingDetails:
        """Cancel inside the caller's transaction with the refund share the caller decides (admins, blocks)."""
        return await self._closing.end_in(tx, principal, booking_id, reason, share_bps=share_bps)
