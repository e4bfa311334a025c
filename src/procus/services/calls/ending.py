"""How a call ends: a participant ends it, or its time runs out; and what that means for the booking.

Concluding a call is one transaction: the booking moves through its state machine (and its audit
event is appended, :func:`~procus.services.bookings.status.move_booking`), the call gets its final
status and ``ended_at``, the money is released or refunded through ``Escrow``, people are told, and
a job to close the room is queued. The room is also closed right after the commit, which
disconnects both participants at once; the job only matters if the video server could not be
reached then.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.attendance import Attendance, no_show_outcome
from procus.domain.bookings import Actor, ActorRole, BookingStatus
from procus.domain.calls import CallOutcome, CallRecord
from procus.domain.cancellation import FULL_REFUND_BPS
from procus.domain.errors import Conflict, ServiceUnavailable
from procus.services.bookings.status import move_booking
from procus.services.calls.core import CallContext, CallDetails
from procus.services.calls.rooms import queue_room_closing
from procus.services.notices.calls import announce_outcome
from procus.store import bookings as booking_store
from procus.store import calls as call_store
from procus.store.db import Connection

__all__ = ["CallEnding"]

_SYSTEM = Actor(ActorRole.SYSTEM)
log = logging.getLogger(__name__)


class CallEnding:
    def __init__(self, context: CallContext) -> None:
        self._ctx = context

    async def end(self, principal: Principal, booking_id: uuid.UUID) -> CallDetails:
        """Either participant ends a call that has started (both have been in the room): the booking is
        completed and the expert paid; both are disconnected."""
        now = self._ctx.clock.now()
        async with self._ctx.db.transaction() as tx:
            call = await call_store.lock_call(tx, booking_id)
            role = self._ctx.participant(principal, call)
            if call.finished:
                raise Conflict("call_ended", "This call has already ended", current_status=call.booking_status.value)
            attendance = await self._ctx.refresh(tx, call, now)
            if attendance.started_at is None:
                raise Conflict("call_not_started", "A call can be ended once both of you have joined it")
            actor = Actor(role, principal.user_id)
            await self._conclude(tx, call, CallOutcome.COMPLETED, actor, attendance, now, reason=None)
        await self._close_room_now(call.room)
        return await self._ctx.details_of(booking_id, role)

    async def end_overdue_calls(self) -> int:
        """Conclude every confirmed call whose join window has closed; returns how many were concluded."""
        now = self._ctx.clock.now()
        async with self._ctx.db.connection() as conn:
            due = await call_store.calls_due_to_end(conn, now, grace=self._ctx.policy.grace)
        concluded = 0
        for booking_id in due:
            concluded += await self.settle(booking_id, now) is not None
        return concluded

    async def close_room(self, room: str) -> None:
        """Delete the room (disconnecting anyone left in it); raises ``ServiceUnavailable`` to be retried."""
        await self._ctx.video.rooms.delete_room(room)

    async def settle(self, booking_id: uuid.UUID, now: dt.datetime) -> CallOutcome | None:
        """Decide a confirmed call if it is due: completed once its window has closed after the parties
        met, a no-show once the no-show time has passed without them meeting. Safe to repeat."""
        async with self._ctx.db.transaction() as tx:
            call = await call_store.lock_call(tx, booking_id)
            if call.booking_status is not BookingStatus.CONFIRMED or call.ended_at is not None:
                return None
            attendance = await self._ctx.refresh(tx, call, now)
            outcome = self._due_outcome(call, attendance, now)
            if outcome is None:
                return None
            await self._conclude(tx, call, outcome, _SYSTEM, attendance, now, reason=self._reason(outcome))
        await self._close_room_now(call.room)
        return outcome

    def _due_outcome(self, call: CallRecord, attendance: Attendance, now: dt.datetime) -> CallOutcome | None:
        if attendance.started_at is not None:
            return CallOutcome.COMPLETED if now >= call.closes_at(self._ctx.policy) else None
        due_at = call.no_show_due_at(self._ctx.policy)
        return no_show_outcome(attendance, due_at) if now >= due_at else None

    def _reason(self, outcome: CallOutcome) -> str:
        minutes = int(self._ctx.policy.no_show_after.total_seconds() // 60)
        return {
            CallOutcome.COMPLETED: "The call's time ended",
            CallOutcome.NO_SHOW_EXPERT: f"The expert did not join within {minutes} minutes of the start",
            CallOutcome.NO_SHOW_CLIENT: f"The client did not join within {minutes} minutes of the start",
            CallOutcome.NO_SHOW_BOTH: "Neither participant joined the call",
        }[outcome]

    async def _conclude(
        self,
        tx: Connection,
        call: CallRecord,
        outcome: CallOutcome,
        actor: Actor,
        attendance: Attendance,
        now: dt.datetime,
        *,
        reason: str | None,
    ) -> None:
        booking = await booking_store.get_booking(tx, call.booking_id)
        data = {
            "actual_started_at": attendance.started_at.isoformat() if attendance.started_at else None,
            "client_seconds": attendance.client_seconds,
            "expert_seconds": attendance.expert_seconds,
            "refund_share_bps": 0 if outcome.pays_expert else FULL_REFUND_BPS,
        }
        target = await move_booking(tx, booking, outcome.action, actor, now, reason=reason, data=data)
        await call_store.finish_call(tx, call.call_id, outcome.call_status, now)
        if outcome.pays_expert:
            await self._ctx.escrow.call_paid_expert(tx, booking)
        else:
            ended = msgspec.structs.replace(booking, status=target)
            await self._ctx.escrow.refund(tx, ended, share_bps=FULL_REFUND_BPS, reason=f"{outcome.value}: {reason}")
        await queue_room_closing(tx, call.room)
        if actor.role is ActorRole.SYSTEM and outcome is not CallOutcome.COMPLETED:
            await announce_outcome(tx, call, outcome, now)

    async def _close_room_now(self, room: str) -> None:
        with contextlib.suppress(ServiceUnavailable):
            await self._ctx.video.rooms.delete_room(room)
