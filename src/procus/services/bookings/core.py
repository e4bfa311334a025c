"""What every booking use case shares: its collaborators, who the actor is, and the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.availability import blocked_range
from procus.domain.booking_states import BookingAction, allowed_actions, transition
from procus.domain.bookings import Actor, ActorRole, Booking, BookingStatus, BookingView
from procus.domain.cancellation import RefundPolicy, refund_share_bps
from procus.domain.errors import Conflict, NotFound
from procus.domain.experts import ExpertiseArea
from procus.domain.slots import is_slot_available
from procus.services.booking_notices import BookingLinks, BookingNotices
from procus.services.idempotency import IdempotencyService
from procus.services.ports.clock import Clock
from procus.services.ports.escrow import Escrow
from procus.store import availability as availability_store
from procus.store import booking_events, holds
from procus.store import bookings as booking_store
from procus.store.db import Connection, Database

__all__ = ["BookingCore", "BookingDetails", "BookingPolicy", "CheckedSlot"]


class BookingPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """The platform's booking rules, from settings."""

    platform_fee_bps: int = 1000
    answer_within: dt.timedelta = dt.timedelta(hours=24)
    """How long the expert has to answer a request (and the client a reschedule proposal)."""
    unpaid_within: dt.timedelta = dt.timedelta(minutes=30)
    """How long a request may wait for its payment before it lapses and frees the slot."""
    refunds: RefundPolicy = msgspec.field(default_factory=RefundPolicy)


class BookingDetails(msgspec.Struct, frozen=True, kw_only=True):
    """A booking as one person sees it: what they may do next and what cancelling would refund them."""

    view: BookingView
    viewer_role: ActorRole
    actions: list[BookingAction]
    cancel_refund_bps: int | None


class CheckedSlot(msgspec.Struct, frozen=True, kw_only=True):
    start: dt.datetime
    end: dt.datetime
    blocked: tuple[dt.datetime, dt.datetime]


class BookingCore:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        escrow: Escrow,
        idempotency: IdempotencyService,
        notices: BookingNotices,
        links: BookingLinks,
        policy: BookingPolicy,
    ) -> None:
        self._db = db
        self._clock = clock
        self._escrow = escrow
        self._idempotency = idempotency
        self._notices = notices
        self._links = links
        self._policy = policy

    @property
    def policy(self) -> BookingPolicy:
        return self._policy

    def _actor(self, principal: Principal, booking: Booking) -> Actor:
        """The principal's part in the booking; a stranger learns nothing, not even that it exists."""
        role = booking.role_of(principal.user_id)
        if role is None:
            if principal.role is not Role.ADMIN:
                raise NotFound("booking_not_found", "No such booking")
            role = ActorRole.ADMIN
        return Actor(role, principal.user_id)

    def _details(self, view: BookingView, role: ActorRole, now: dt.datetime) -> BookingDetails:
        booking = view.booking
        actions = allowed_actions(booking.status, role)
        refund = None
        if BookingAction.CANCEL in actions:
            confirmed = booking.status is BookingStatus.CONFIRMED
            refund = refund_share_bps(role, booking.starts_at, now, self._policy.refunds, confirmed=confirmed)
        return BookingDetails(view=view, viewer_role=role, actions=actions, cancel_refund_bps=refund)

    async def _locked(
        self, tx: Connection, principal: Principal, booking_id: uuid.UUID, action: BookingAction
    ) -> tuple[Booking, Actor, BookingStatus]:
        """Lock the booking and check ``action`` against the state machine: (booking, actor, target)."""
        booking = await booking_store.lock_booking(tx, booking_id)
        actor = self._actor(principal, booking)
        return booking, actor, transition(booking.status, action, actor.role)

    def _require_answer_in_time(self, booking: Booking, now: dt.datetime) -> None:
        if booking.status in (BookingStatus.PENDING, BookingStatus.RESCHEDULE_PROPOSED) and booking.expires_at <= now:
            raise Conflict(
                "answer_deadline_passed",
                "The time to answer this booking has passed",
                current_status=booking.status.value,
            )

    async def _require_paid(self, tx: Connection, booking: Booking) -> None:
        state = await self._escrow.state(tx, booking.id)
        if state is None or not state.held:
            raise Conflict("payment_pending", "The client's payment has not been received yet")

    async def _log(
        self,
        tx: Connection,
        booking_id: uuid.UUID,
        actor: Actor,
        action: BookingAction | str,
        from_status: BookingStatus | None,
        to_status: BookingStatus,
        *,
        reason: str | None,
        now: dt.datetime,
        data: dict[str, Any] | None = None,
    ) -> None:
        """Append the transition to the booking's audit trail (``booking_events``)."""
        await booking_events.append_event(
            tx,
            booking_id=booking_id,
            actor_id=actor.user_id,
            actor_role=actor.role,
            action=str(action),
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            at=now,
            data=data,
        )

    async def _check_slot(
        self,
        conn: Connection,
        *,
        expert_id: uuid.UUID,
        area_id: uuid.UUID,
        start: dt.datetime,
        now: dt.datetime,
        moving: Booking | None = None,
    ) -> tuple[CheckedSlot, ExpertiseArea]:
        """Ask the slot engine whether ``start`` is free; for a move, the booking's own time does not count.

        The exclusion constraint has the final word; this check gives the precise reason early
        (``slot_taken`` when someone holds the time, ``slot_unavailable`` when the expert is not
        open then) and refuses times the constraint cannot know about (hours, notice, horizon).
        """
        inputs = await availability_store.load_slot_inputs(conn, expert_id, area_id, start, start + _INSTANT)
        if moving is None and not (inputs.expert_listed and inputs.area.active):
            raise NotFound("area_not_found", "This expert does not offer that area for booking")
        duration = moving.duration_minutes if moving else inputs.area.duration_minutes
        blocked = blocked_range(start, duration, inputs.availability.settings)
        busy = inputs.busy
        if moving is not None:
            busy = tuple(await holds.busy_intervals(conn, expert_id, *blocked, exclude_booking=moving.id))
        availability = inputs.availability
        if not is_slot_available(availability, busy, start=start, duration_minutes=duration, now=now):
            if is_slot_available(availability, (), start=start, duration_minutes=duration, now=now):
                raise Conflict("slot_taken", "That time was just taken; pick another slot")
            raise Conflict("slot_unavailable", "That time is not one of the expert's open slots")
        end = start + dt.timedelta(minutes=duration)
        return CheckedSlot(start=start, end=end, blocked=blocked), inputs.area


_INSTANT = dt.timedelta(microseconds=1)
