"""Ending a booking without a call: what declining, cancelling, refusing a new time and expiry share.

Each locks the booking, asks the state machine whether the actor may do it, moves the booking
(:func:`~procus.services.bookings.status.move_booking`), releases its time, tells payments what the
change means for the money (``Escrow``) and queues the notices, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.booking_states import BookingAction
from procus.domain.bookings import Actor, ActorRole, Booking, BookingStatus, BookingView, CallStatus
from procus.domain.cancellation import FULL_REFUND_BPS, refund_amount, refund_share_bps
from procus.domain.errors import Conflict, InvalidInput
from procus.domain.money import Money
from procus.domain.reasons import validate_reason
from procus.services.bookings.core import BookingContext, BookingDetails
from procus.services.bookings.status import move_booking
from procus.services.calls.rooms import queue_room_closing
from procus.services.idempotency import Outcome, Recorder
from procus.store import bookings as booking_store
from procus.store.db import Connection

__all__ = ["BookingClosing", "validate_reason"]


class _Change(msgspec.Struct, frozen=True):
    booking_id: uuid.UUID
    reason: str | None


class BookingClosing:
    """Closes bookings for the use cases that end them; each use case holds the same one."""

    def __init__(self, context: BookingContext) -> None:
        self._ctx = context

    async def end_by(
        self,
        principal: Principal,
        action: BookingAction,
        booking_id: uuid.UUID,
        reason: str | None,
        *,
        reason_required: bool,
        idempotency_key: str | None,
    ) -> Outcome[BookingDetails]:
        """A person ends the booking with ``action``; the refund follows the platform's policy.

        Repeating the call with the same ``idempotency_key`` replays the first outcome.
        """
        change = _Change(booking_id, validate_reason(reason, required=reason_required))

        async def operation(record: Recorder) -> BookingDetails:
            return await self._end(principal, action, change, record)

        return await self._ctx.idempotency.run(
            user_id=principal.user_id,
            scope=f"bookings.{action.value}",
            key=idempotency_key,
            request=change,
            result_type=BookingDetails,
            operation=operation,
        )

    async def _end(
        self, principal: Principal, action: BookingAction, change: _Change, record: Recorder
    ) -> BookingDetails:
        ctx = self._ctx
        now = ctx.clock.now()
        async with ctx.db.transaction() as tx:
            booking, actor = await ctx.locked(tx, principal, change.booking_id, action)
            if action is BookingAction.CANCEL and actor.role is ActorRole.CLIENT and now >= booking.starts_at:
                raise Conflict("call_started", "The call has started; it can no longer be cancelled")
            if action is not BookingAction.CANCEL:
                ctx.require_answer_in_time(booking, now)
            confirmed = booking.status is BookingStatus.CONFIRMED
            share = refund_share_bps(actor.role, booking.starts_at, now, ctx.policy.refunds, confirmed=confirmed)
            details = await self.close(tx, booking, actor, action, change.reason, share, now)
            await record(tx, details)
        return details

    async def end_in(
        self, tx: Connection, principal: Principal, booking_id: uuid.UUID, reason: str, *, share_bps: int
    ) -> BookingDetails:
        """Cancel in the caller's transaction, refunding the share the caller decides rather than the
        policy's: an admin's force-cancel (full or partial) or a block between the participants (full)."""
        if not 0 <= share_bps <= FULL_REFUND_BPS:
            raise InvalidInput("invalid_refund_share", "the refund share must be within 0..10000 bps")
        now = self._ctx.clock.now()
        booking, actor = await self._ctx.locked(tx, principal, booking_id, BookingAction.CANCEL)
        return await self.close(tx, booking, actor, BookingAction.CANCEL, reason, share_bps, now)

    async def close(
        self,
        tx: Connection,
        booking: Booking,
        actor: Actor,
        action: BookingAction,
        reason: str | None,
        share_bps: int,
        now: dt.datetime,
        *,
        announce: bool = True,
    ) -> BookingDetails:
        """End the booking without a call: release its time, refund ``share_bps``, record and announce it.

        A booking that was confirmed may have a room with someone in it (the expert cancelling mid-call):
        closing it is queued too, and is harmless for a room that was never made.
        """
        ctx = self._ctx
        data = {"refund_share_bps": share_bps}
        target = await move_booking(tx, booking, action, actor, now, reason=reason, data=data, bump_sequence=True)
        await booking_store.set_call_status(tx, booking.call_id, CallStatus.CANCELLED, now)
        if booking.confirmed_at is not None:
            await queue_room_closing(tx, booking.room_name)
        money_reason = f"{action.value}: {reason}" if reason else action.value
        ended = msgspec.structs.replace(booking, status=target)
        await ctx.escrow.refund(tx, ended, share_bps=share_bps, reason=money_reason)
        view = await booking_store.get_view(tx, booking.id)
        if announce:
            await self._announce(tx, view, actor, reason, share_bps, now)
        return ctx.details(view, actor.role, now)

    async def _announce(
        self, tx: Connection, view: BookingView, actor: Actor, reason: str | None, share_bps: int, now: dt.datetime
    ) -> None:
        notices = self._ctx.notices
        if view.booking.status is BookingStatus.DECLINED:
            await notices.declined(tx, view, reason, now)
            return
        price = view.booking.price
        refund = Money(refund_amount(price.amount, share_bps), price.currency)
        by = {ActorRole.CLIENT: view.client, ActorRole.EXPERT: view.expert}.get(actor.role)
        await notices.cancelled(tx, view, by=by, reason=reason, refund=refund, now=now)
