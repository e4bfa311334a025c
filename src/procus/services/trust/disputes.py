"""Disputes and the release of a finished call's money (see :mod:`procus.domain.disputes`).

The money of a call that paid the expert stays held until :meth:`DisputeService.release_due` finds
its window closed (or the client confirmed the call went well) and no dispute open; then it is
released through escrow, in its own transaction per booking. A dispute freezes that; an admin's
resolution releases, refunds part or refunds all through the same escrow, so the ledger balances
in every outcome, and is audited.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.admin_audit import AdminActor, AuditRecord
from procus.domain.attendance import AttendanceEvent
from procus.domain.bookings import Booking, BookingStatus
from procus.domain.disputes import (
    MAX_DISPUTE_TEXT,
    Dispute,
    DisputeReason,
    DisputeStatus,
    Resolution,
    ended_early,
    release_due_at,
    resolution_refund_bps,
)
from procus.domain.errors import Conflict, DomainError, InvalidInput, NotFound, PermissionDenied
from procus.domain.reasons import validate_reason
from procus.services.admin.audit import record_admin_action
from procus.services.notices.notifications import notify
from procus.services.ports.clock import Clock
from procus.services.ports.escrow import Escrow
from procus.store import attendance, disputes, users
from procus.store import bookings as booking_store
from procus.store import calls as call_store
from procus.store.db import Connection, Database

__all__ = ["DisputeCase", "DisputeService"]

log = logging.getLogger(__name__)
_PAYS_EXPERT = (BookingStatus.COMPLETED, BookingStatus.NO_SHOW_CLIENT)


class DisputeCase(msgspec.Struct, frozen=True, kw_only=True):
    """A dispute with what an admin needs to judge it: the call's times and who joined and left when."""

    dispute: Dispute
    starts_at: dt.datetime
    ends_at: dt.datetime
    ended_at: dt.datetime | None
    ended_early: bool
    attendance: list[AttendanceEvent]


class DisputeService:
    def __init__(self, db: Database, clock: Clock, escrow: Escrow, window: dt.timedelta) -> None:
        self._db = db
        self._clock = clock
        self._escrow = escrow
        self._window = window

    async def open(self, principal: Principal, booking_id: uuid.UUID, reason: DisputeReason, text: str) -> Dispute:
        """The client disputes a finished call within the window: the release is frozen, all are told."""
        description = text.strip()
        if not 1 <= len(description) <= MAX_DISPUTE_TEXT:
            raise InvalidInput("invalid_description", f"Describe what happened in 1..{MAX_DISPUTE_TEXT} characters")
        now = self._clock.now()
        async with self._db.transaction() as tx:
            booking = await booking_store.lock_booking(tx, booking_id)
            self._require_client(principal, booking)
            if booking.status not in _PAYS_EXPERT:
                raise Conflict("call_not_disputable", "Only a finished call that paid the expert can be disputed")
            if now >= release_due_at(booking.ends_at, self._window):
                raise Conflict("dispute_window_closed", "The time to dispute this call has passed")
            await self._require_held(tx, booking_id)
            dispute = await disputes.insert_dispute(
                tx,
                booking_id=booking_id,
                client_id=booking.client_id,
                expert_id=booking.expert_id,
                reason=reason,
                description=description,
                now=now,
            )
            told = sorted({booking.client_id, booking.expert_id, *await users.admin_ids(tx)})
            for user_id in told:
                await notify(
                    tx,
                    user_id=user_id,
                    kind="dispute.opened",
                    title="A call was disputed",
                    body=f"Reason: {reason.value.replace('_', ' ')}. The payment is on hold until it is resolved.",
                    now=now,
                    data={"dispute_id": str(dispute.id), "booking_id": str(booking_id)},
                    important=True,
                )
        return dispute

    async def confirm(self, principal: Principal, booking_id: uuid.UUID) -> None:
        """The client says the call went well: the expert is paid now rather than when the window closes."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            booking = await booking_store.lock_booking(tx, booking_id)
            self._require_client(principal, booking)
            if booking.status not in _PAYS_EXPERT:
                raise Conflict("call_not_finished", "Only a finished call can be confirmed")
            found = await disputes.find_dispute(tx, booking_id)
            if found is not None and found.status is DisputeStatus.OPEN:
                raise Conflict("dispute_open", "This call is disputed; an admin will decide")
            await disputes.mark_confirmed(tx, booking_id, now)
            state = await self._escrow.state(tx, booking_id)
            if state is not None and state.held:
                await self._escrow.release(tx, booking)

    async def for_booking(self, principal: Principal, booking_id: uuid.UUID) -> Dispute:
        async with self._db.connection() as conn:
            booking = await booking_store.get_booking(conn, booking_id)
            if principal.user_id not in (booking.client_id, booking.expert_id):
                raise NotFound.no_such("booking")
            found = await disputes.find_dispute(conn, booking_id)
        if found is None:
            raise NotFound("dispute_not_found", "This call has not been disputed")
        return found

    async def release_due(self, now: dt.datetime | None = None) -> int:
        """Release every finished call whose window closed (or that its client confirmed) and that has
        no open dispute; each in its own transaction, re-checked there. Returns how many were released."""
        now = now or self._clock.now()
        async with self._db.connection() as conn:
            due = await disputes.due_for_release(conn, now, self._window)
        released = 0
        for booking_id in due:
            try:
                released += await self._release_one(booking_id, now)
            except DomainError:
                log.exception("Booking %s could not be released; the next sweep tries again", booking_id)
        return released

    async def _release_one(self, booking_id: uuid.UUID, now: dt.datetime) -> int:
        async with self._db.transaction() as tx:
            booking = await booking_store.lock_booking(tx, booking_id)
            if not await disputes.release_is_due(tx, booking_id, now, self._window):
                return 0
            await self._escrow.release(tx, booking)
        return 1

    async def cases(self, actor: AdminActor, status: str | None = "open", limit: int = 100) -> list[Dispute]:
        async with self._db.connection() as conn:
            return await disputes.list_disputes(conn, status, limit)

    async def case(self, actor: AdminActor, dispute_id: uuid.UUID) -> DisputeCase:
        async with self._db.connection() as conn:
            dispute = await disputes.get_dispute(conn, dispute_id)
            call = await call_store.get_call(conn, dispute.booking_id)
            booking = await booking_store.get_booking(conn, dispute.booking_id)
            events = await attendance.list_events(conn, call.call_id)
        return DisputeCase(
            dispute=dispute,
            starts_at=call.starts_at,
            ends_at=call.ends_at,
            ended_at=call.ended_at,
            ended_early=ended_early(call.starts_at, booking.duration_minutes, call.ended_at),
            attendance=events,
        )

    async def resolve(
        self, actor: AdminActor, dispute_id: uuid.UUID, resolution: Resolution, refund_bps: int | None, reason: str
    ) -> Dispute:
        """Decide a dispute: release to the expert, or refund the client part or all (the rest released)."""
        share = resolution_refund_bps(resolution, refund_bps)
        text = validate_reason(reason) or ""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            current = await disputes.get_dispute(tx, dispute_id)
            booking = await booking_store.lock_booking(tx, current.booking_id)
            resolved = await disputes.resolve_dispute(
                tx, dispute_id, resolution=resolution, refund_bps=share, reason=text, admin_id=actor.admin_id, now=now
            )
            await self._require_held(tx, current.booking_id)
            if share:
                await self._escrow.refund(tx, booking, share_bps=share, reason=f"dispute resolved: {text}")
            else:
                await self._escrow.release(tx, booking)
            record = AuditRecord(
                action="dispute.resolve",
                target_type="dispute",
                target_id=str(dispute_id),
                before={"status": current.status.value},
                after={"status": resolved.status.value, "resolution": resolution.value, "refund_bps": share},
                reason=text,
            )
            await record_admin_action(tx, actor, record, now)
            for user_id in sorted({current.client_id, current.expert_id}):
                await notify(
                    tx,
                    user_id=user_id,
                    kind="dispute.resolved",
                    title="The dispute was resolved",
                    body=text,
                    now=now,
                    data={"dispute_id": str(dispute_id), "booking_id": str(current.booking_id)},
                    important=True,
                )
        return resolved

    @staticmethod
    def _require_client(principal: Principal, booking: Booking) -> None:
        if principal.user_id == booking.expert_id:
            raise PermissionDenied("only_client_disputes", "Only the booking's client can do this")
        if principal.user_id != booking.client_id:
            raise NotFound.no_such("booking")

    async def _require_held(self, tx: Connection, booking_id: uuid.UUID) -> None:
        state = await self._escrow.state(tx, booking_id)
        if state is None or not state.held:
            raise Conflict("payment_not_held", "This call's money is no longer held; it was already settled")
