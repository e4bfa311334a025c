"""What every booking use case shares: its collaborators, who the actor is, and the common checks."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.booking_states import BookingAction, allowed_actions, transition
from procus.domain.bookings import Actor, ActorRole, Booking, BookingStatus, BookingView
from procus.domain.calls import CallPolicy
from procus.domain.cancellation import RefundPolicy, refund_share_bps
from procus.domain.errors import Conflict, NotFound
from procus.services.idempotency import IdempotencyService
from procus.services.notices.bookings import BookingLinks, BookingNotices
from procus.services.ports.clock import Clock
from procus.services.ports.escrow import Escrow, require_paid
from procus.store import bookings as booking_store
from procus.store.db import Connection, Database

__all__ = ["BookingContext", "BookingDetails", "BookingPolicy"]


class BookingPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """The platform's booking rules, from settings."""

    platform_fee_bps: int = 1000
    answer_within: dt.timedelta = dt.timedelta(hours=24)
    """How long the expert has to answer a request (and the client a reschedule proposal)."""
    unpaid_within: dt.timedelta = dt.timedelta(minutes=30)
    """How long a request may wait for its payment before it lapses and frees the slot."""
    refunds: RefundPolicy = msgspec.field(default_factory=RefundPolicy)
    calls: CallPolicy = msgspec.field(default_factory=CallPolicy)
    """The call rules, for the join window each booking shows."""


class BookingDetails(msgspec.Struct, frozen=True, kw_only=True):
    """A booking as one person sees it: what they may do next and what cancelling would refund them."""

    view: BookingView
    viewer_role: ActorRole
    actions: list[BookingAction]
    cancel_refund_bps: int | None
    join_opens_at: dt.datetime
    join_closes_at: dt.datetime


class BookingContext:
    """What every booking use case shares: its collaborators, who the actor is, and the common checks.

    Each use case (requests, answers, reschedules, expiry, reads) is its own class holding one of these.
    """

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
        self.db = db
        self.clock = clock
        self.escrow = escrow
        self.idempotency = idempotency
        self.notices = notices
        self.links = links
        self.policy = policy

    def actor(self, principal: Principal, booking: Booking) -> Actor:
        """The principal's part in the booking; a stranger learns nothing, not even that it exists."""
        role = booking.role_of(principal.user_id)
        if role is None:
            if principal.role is not Role.ADMIN:
                raise NotFound.no_such("booking")
            role = ActorRole.ADMIN
        return Actor(role, principal.user_id)

    def details(self, view: BookingView, role: ActorRole, now: dt.datetime) -> BookingDetails:
        booking = view.booking
        actions = allowed_actions(booking.status, role)
        refund = None
        if BookingAction.CANCEL in actions:
            confirmed = booking.status is BookingStatus.CONFIRMED
            refund = refund_share_bps(role, booking.starts_at, now, self.policy.refunds, confirmed=confirmed)
        opens, closes = self.policy.calls.join_window(booking.starts_at, booking.ends_at)
        return BookingDetails(
            view=view,
            viewer_role=role,
            actions=actions,
            cancel_refund_bps=refund,
            join_opens_at=opens,
            join_closes_at=closes,
        )

    async def locked(
        self, tx: Connection, principal: Principal, booking_id: uuid.UUID, action: BookingAction
    ) -> tuple[Booking, Actor]:
        """Lock the booking and check early that the actor may take ``action`` (so that error comes first)."""
        booking = await booking_store.lock_booking(tx, booking_id)
        actor = self.actor(principal, booking)
        transition(booking.status, action, actor.role)
        return booking, actor

    @staticmethod
    def require_answer_in_time(booking: Booking, now: dt.datetime) -> None:
        if booking.status in (BookingStatus.PENDING, BookingStatus.RESCHEDULE_PROPOSED) and booking.expires_at <= now:
            raise Conflict(
                "answer_deadline_passed",
                "The time to answer this booking has passed",
                current_status=booking.status.value,
            )

    async def require_paid(self, tx: Connection, booking: Booking) -> None:
        await require_paid(self.escrow, tx, booking.id)
