"""Answering and ending bookings: accept, decline, cancel, and the expiry of unanswered requests.

Each use case locks the booking, asks the state machine whether the actor may do it, changes the
booking, tells payments what the change means for the money (``Escrow``), appends the audit event
and queues the notices, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.booking_states import BookingAction, transition
from procus.domain.bookings import Actor, ActorRole, Booking, BookingStatus, BookingView, CallStatus
from procus.domain.cancellation import FULL_REFUND_BPS, refund_share_bps
from procus.domain.errors import Conflict, DomainError, InvalidInput
from procus.domain.money import Money
from procus.services.bookings.core import BookingCore, BookingDetails
from procus.services.calls import queue_room_closing
from procus.services.idempotency import Outcome, Recorder
from procus.store import bookings as booking_store
from procus.store.db import Connection

__all__ = ["MAX_REASON_LENGTH", "BookingTransitions", "validate_reason"]

MAX_REASON_LENGTH = 1000
log = logging.getLogger(__name__)
_SYSTEM = Actor(ActorRole.SYSTEM)
_NO_ANSWER = "The expert did not answer the request in time"
_PROPOSAL_UNANSWERED = "The new time was not answered in time"
_UNPAID = "The payment was not completed in time"


def validate_reason(reason: str | None, *, required: bool) -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise InvalidInput("reason_required", "Say why, in a few words", field="reason")
    if len(text) > MAX_REASON_LENGTH:
        raise InvalidInput(
            "reason_too_long", f"the reason may be at most {MAX_REASON_LENGTH} characters", field="reason"
        )
    return text or None


class _Change(msgspec.Struct, frozen=True):
    booking_id: uuid.UUID
    reason: str | None


class BookingTransitions(BookingCore):
    async def accept(self, principal: Principal, booking_id: uuid.UUID) -> BookingDetails:
        """The expert confirms a paid request; both get the calendar invite."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            booking, actor, target = await self._locked(tx, principal, booking_id, BookingAction.ACCEPT)
            self._require_answer_in_time(booking, now)
            await self._require_paid(tx, booking)
            await booking_store.set_status(tx, booking.id, target, reason=None, now=now, confirm=True)
            await self._log(tx, booking.id, actor, BookingAction.ACCEPT, booking.status, target, reason=None, now=now)
            view = await booking_store.get_view(tx, booking.id)
            await self._notices.confirmed(tx, view, now)
        return self._details(view, actor.role, now)

    async def decline(
        self, principal: Principal, booking_id: uuid.UUID, reason: str | None, *, idempotency_key: str | None = None
    ) -> Outcome[BookingDetails]:
        """The expert turns a request down; the client is refunded in full."""
        change = _Change(booking_id, validate_reason(reason, required=True))
        return await self._idempotent(principal, BookingAction.DECLINE, change, idempotency_key)

    async def cancel(
        self, principal: Principal, booking_id: uuid.UUID, reason: str | None, *, idempotency_key: str | None = None
    ) -> Outcome[BookingDetails]:
        """Either participant (or an admin) calls it off; the refund follows the platform's policy."""
        change = _Change(booking_id, validate_reason(reason, required=True))
        return await self._idempotent(principal, BookingAction.CANCEL, change, idempotency_key)

    async def decline_reschedule(
        self, principal: Principal, booking_id: uuid.UUID, reason: str | None, *, idempotency_key: str | None = None
    ) -> Outcome[BookingDetails]:
        """The client refuses the expert's new time: the booking is cancelled and refunded in full."""
        change = _Change(booking_id, validate_reason(reason, required=False))
        return await self._idempotent(principal, BookingAction.DECLINE_RESCHEDULE, change, idempotency_key)

    async def cancel_in(
        self, tx: Connection, principal: Principal, booking_id: uuid.UUID, reason: str, *, share_bps: int
    ) -> BookingDetails:
        """Cancel in the caller's transaction, refunding the share the caller decides rather than the
        policy's: an admin's force-cancel (full or partial) or a block between the participants (full)."""
        if not 0 <= share_bps <= FULL_REFUND_BPS:
            raise InvalidInput("invalid_refund_share", "the refund share must be within 0..10000 bps")
        now = self._clock.now()
        booking, actor, target = await self._locked(tx, principal, booking_id, BookingAction.CANCEL)
        return await self._close(tx, booking, actor, BookingAction.CANCEL, target, reason, share_bps, now)

    async def expire_unanswered(self, now: dt.datetime | None = None) -> int:
        """Expire requests and proposals left unanswered past their deadline, and requests never paid.

        Each is refunded in full (an unpaid one just has its pending payment cancelled). Safe to run
        repeatedly and from several workers: each booking is re-checked under its row lock, in its own
        transaction. One that cannot be expired (a domain error) is logged and left for the next sweep.
        """
        now = now or self._clock.now()
        expired = 0
        async with self._db.connection() as conn:
            overdue = await booking_store.pending_past_deadline(conn, now)
            unpaid = await booking_store.unconfirmed_created_by(conn, now - self._policy.unpaid_within)
        due = [(booking_id, False) for booking_id in overdue] + [(booking_id, True) for booking_id in unpaid]
        for booking_id, unpaid_only in due:
            try:
                expired += await self._expire(booking_id, now, unpaid_only=unpaid_only)
            except DomainError:
                log.exception("Booking %s could not be expired; the next sweep tries again", booking_id)
        return expired

    async def _idempotent(
        self, principal: Principal, action: BookingAction, change: _Change, key: str | None
    ) -> Outcome[BookingDetails]:
        async def operation(record: Recorder) -> BookingDetails:
            return await self._end(principal, action, change, record)

        return await self._idempotency.run(
            user_id=principal.user_id,
            scope=f"bookings.{action.value}",
            key=key,
            request=change,
            result_type=BookingDetails,
            operation=operation,
        )

    async def _end(
        self, principal: Principal, action: BookingAction, change: _Change, record: Recorder
    ) -> BookingDetails:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            booking, actor, target = await self._locked(tx, principal, change.booking_id, action)
            if action is BookingAction.CANCEL and actor.role is ActorRole.CLIENT and now >= booking.starts_at:
                raise Conflict("call_started", "The call has started; it can no longer be cancelled")
            if action is not BookingAction.CANCEL:
                self._require_answer_in_time(booking, now)
            confirmed = booking.status is BookingStatus.CONFIRMED
            share = refund_share_bps(actor.role, booking.starts_at, now, self._policy.refunds, confirmed=confirmed)
            details = await self._close(tx, booking, actor, action, target, change.reason, share, now)
            await record(tx, details)
        return details

    async def _expire(self, booking_id: uuid.UUID, now: dt.datetime, *, unpaid_only: bool) -> int:
        async with self._db.transaction() as tx:
            booking = await booking_store.lock_booking(tx, booking_id)
            if booking.status not in (BookingStatus.PENDING, BookingStatus.RESCHEDULE_PROPOSED):
                return 0
            if unpaid_only:
                if booking.confirmed_at is not None or booking.created_at > now - self._policy.unpaid_within:
                    return 0
                state = await self._escrow.state(tx, booking.id)
                if state is not None and state.held:
                    return 0
                reason = _UNPAID
            elif booking.expires_at <= now:
                reason = _NO_ANSWER if booking.status is BookingStatus.PENDING else _PROPOSAL_UNANSWERED
            else:
                return 0
            target = transition(booking.status, BookingAction.EXPIRE, ActorRole.SYSTEM)
            await self._close(
                tx,
                booking,
                _SYSTEM,
                BookingAction.EXPIRE,
                target,
                reason,
                FULL_REFUND_BPS,
                now,
                announce=not unpaid_only,
            )
        return 1

    async def _close(
        self,
        tx: Connection,
        booking: Booking,
        actor: Actor,
        action: BookingAction,
        target: BookingStatus,
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
        await booking_store.set_status(tx, booking.id, target, reason=reason, now=now, bump_sequence=True)
        await booking_store.set_call_status(tx, booking.call_id, CallStatus.CANCELLED, now)
        if booking.confirmed_at is not None:
            await queue_room_closing(tx, booking.room_name)
        money_reason = f"{action.value}: {reason}" if reason else action.value
        await self._escrow.refund(tx, booking_id=booking.id, share_bps=share_bps, reason=money_reason)
        data = {"refund_share_bps": share_bps}
        await self._log(tx, booking.id, actor, action, booking.status, target, reason=reason, now=now, data=data)
        view = await booking_store.get_view(tx, booking.id)
        if announce:
            await self._announce_end(tx, view, actor, target, reason, share_bps, now)
        return self._details(view, actor.role, now)

    async def _announce_end(
        self,
        tx: Connection,
        view: BookingView,
        actor: Actor,
        target: BookingStatus,
        reason: str | None,
        share_bps: int,
        now: dt.datetime,
    ) -> None:
        if target is BookingStatus.DECLINED:
            await self._notices.declined(tx, view, reason, now)
            return
        price = view.booking.price
        refund = Money(price.amount * share_bps // FULL_REFUND_BPS, price.currency)
        by = {ActorRole.CLIENT: view.client, ActorRole.EXPERT: view.expert}.get(actor.role)
        await self._notices.cancelled(tx, view, by=by, reason=reason, refund=refund, now=now)
