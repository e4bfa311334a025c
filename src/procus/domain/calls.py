"""A booking's call as the video side sees it: who is in it, when it may be joined, and how it ended.

The join window opens ``join_early`` before the scheduled start and closes ``grace`` after the
scheduled end; a join token never outlives the window, because the server refreshes the tokens of
connected clients and an expired token only stops *new* connections.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import msgspec

from procus.domain.booking_states import BookingAction
from procus.domain.bookings import ActorRole, BookingStatus, CallStatus, participant_role
from procus.domain.errors import Conflict

__all__ = [
    "FINISHED_STATUSES",
    "CallNote",
    "CallOutcome",
    "CallPolicy",
    "CallRecord",
    "check_joinable",
    "join_token_ttl",
]


class CallPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """The platform's call rules, from settings."""

    join_early: dt.timedelta = dt.timedelta(minutes=10)
    grace: dt.timedelta = dt.timedelta(minutes=15)
    token_ttl: dt.timedelta = dt.timedelta(hours=2)
    no_show_after: dt.timedelta = dt.timedelta(minutes=15)
    """How long after the start a party who has not appeared counts as absent."""
    room_empty_timeout: dt.timedelta = dt.timedelta(minutes=2)
    max_participants: int = 2

    def join_window(self, starts_at: dt.datetime, ends_at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """When a call scheduled for ``[starts_at, ends_at)`` may be joined: ``[opens, closes)``."""
        return starts_at - self.join_early, ends_at + self.grace


class CallRecord(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    call_id: uuid.UUID
    client_id: uuid.UUID
    expert_id: uuid.UUID
    room: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    booking_status: BookingStatus
    status: CallStatus
    actual_started_at: dt.datetime | None
    ended_at: dt.datetime | None

    def role_of(self, user_id: uuid.UUID) -> ActorRole | None:
        return participant_role(user_id, client_id=self.client_id, expert_id=self.expert_id)

    def opens_at(self, policy: CallPolicy) -> dt.datetime:
        return policy.join_window(self.starts_at, self.ends_at)[0]

    def closes_at(self, policy: CallPolicy) -> dt.datetime:
        return policy.join_window(self.starts_at, self.ends_at)[1]

    def no_show_due_at(self, policy: CallPolicy) -> dt.datetime:
        """When absence is decided; never after the window closes."""
        return min(self.starts_at + policy.no_show_after, self.closes_at(policy))

    @property
    def finished(self) -> bool:
        return self.ended_at is not None or self.booking_status in FINISHED_STATUSES


class CallNote(msgspec.Struct, frozen=True, kw_only=True):
    """The expert's private notes on a call; ``updated_at`` is None and ``version`` 0 until they write any.

    Every save bumps ``version``; a save that names the version it was based on is refused when the
    notes have moved on since (see ``store.call_notes.put_note``).
    """

    body: str
    updated_at: dt.datetime | None
    version: int = 0


class CallOutcome(enum.StrEnum):
    """How a confirmed booking's call ends, and what that means for the booking and the money."""

    COMPLETED = "completed"
    NO_SHOW_EXPERT = "no_show_expert"
    NO_SHOW_CLIENT = "no_show_client"
    NO_SHOW_BOTH = "no_show_both"

    @property
    def action(self) -> BookingAction:
        return _ACTIONS[self]

    @property
    def call_status(self) -> CallStatus:
        return CallStatus(self.value)

    @property
    def pays_expert(self) -> bool:
        """The expert earns the fee when the call happened or the client did not come; otherwise a full refund."""
        return self in (CallOutcome.COMPLETED, CallOutcome.NO_SHOW_CLIENT)


_ACTIONS = {
    CallOutcome.COMPLETED: BookingAction.COMPLETE,
    CallOutcome.NO_SHOW_EXPERT: BookingAction.MARK_NO_SHOW_EXPERT,
    CallOutcome.NO_SHOW_CLIENT: BookingAction.MARK_NO_SHOW_CLIENT,
    CallOutcome.NO_SHOW_BOTH: BookingAction.MARK_NO_SHOW_BOTH,
}
FINISHED_STATUSES = frozenset(BookingStatus(outcome.value) for outcome in CallOutcome)
"""Booking statuses that mean the call is over."""


def check_joinable(call: CallRecord, now: dt.datetime, policy: CallPolicy) -> None:
    """Raise the 409 that explains why the call cannot be joined at ``now``; payment is checked elsewhere."""
    if call.finished:
        raise Conflict("call_ended", "This call has ended", current_status=call.booking_status.value)
    if call.booking_status is not BookingStatus.CONFIRMED:
        raise Conflict(
            "booking_not_confirmed",
            "The call can be joined once the booking is confirmed",
            current_status=call.booking_status.value,
        )
    if now < call.opens_at(policy):
        raise Conflict(
            "call_not_open_yet",
            "The call opens a few minutes before its start",
            opens_at=call.opens_at(policy).isoformat(),
        )
    if now >= call.closes_at(policy):
        raise Conflict(
            "call_window_closed", "The time for this call is over", closed_at=call.closes_at(policy).isoformat()
        )


def join_token_ttl(call: CallRecord, now: dt.datetime, policy: CallPolicy) -> dt.timedelta:
    """The configured lifetime, cut short so the token never outlives the join window."""
    remaining = dt.timedelta(seconds=int((call.closes_at(policy) - now).total_seconds()))
    if remaining <= dt.timedelta(0):
        raise Conflict("call_window_closed", "The time for this call is over")
    return min(policy.token_ttl, remaining)
