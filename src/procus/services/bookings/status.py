"""The one owner of a booking's status: every change, creation included, goes through :func:`move_booking`.

It checks the change against the state machine (``domain/booking_states.py``), writes the row and
appends the audit event (``booking_events``) in the caller's transaction, as
``services/payments/transitions.py`` does for payments, refunds and payouts. Callers hold the
booking's row lock (``FOR UPDATE``) for a booking that exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from procus.domain.booking_states import BookingAction, transition
from procus.domain.bookings import Actor, Booking, BookingStatus
from procus.domain.money import Money
from procus.store import booking_events
from procus.store import bookings as booking_store
from procus.store.db import Connection

__all__ = ["NewBooking", "Proposal", "move_booking"]


class NewBooking(msgspec.Struct, frozen=True, kw_only=True):
    """A booking about to be made, with its call: what their first rows hold."""

    id: uuid.UUID
    call_id: uuid.UUID
    client_id: uuid.UUID
    expert_id: uuid.UUID
    area_id: uuid.UUID
    starts_at: dt.datetime
    duration_minutes: int
    blocked: tuple[dt.datetime, dt.datetime]
    price: Money
    platform_fee_bps: int
    room_name: str
    note: str
    expires_at: dt.datetime


class Proposal(msgspec.Struct, frozen=True, kw_only=True):
    """A new time the expert offers, and until when the client may take it."""

    start: dt.datetime
    end: dt.datetime
    expires_at: dt.datetime


async def move_booking(
    tx: Connection,
    booking: Booking | NewBooking,
    action: BookingAction,
    actor: Actor,
    at: dt.datetime,
    *,
    reason: str | None = None,
    data: dict[str, Any] | None = None,
    proposal: Proposal | None = None,
    confirm: bool = False,
    bump_sequence: bool = False,
) -> BookingStatus:
    """Take ``action`` on ``booking`` as ``actor``: the status it leads to, written and recorded.

    A :class:`NewBooking` is inserted (with its call); a ``proposal`` is stored with the move;
    otherwise ``confirm`` stamps the first confirmation and ``bump_sequence`` raises the calendar
    SEQUENCE if an invite already went out.
    """
    from_status = booking.status if isinstance(booking, Booking) else None
    target = transition(from_status, action, actor.role)
    if isinstance(booking, NewBooking):
        await _insert(tx, booking, target, at)
    elif proposal is not None:
        await booking_store.set_proposal(
            tx,
            booking.id,
            status=target,
            start=proposal.start,
            end=proposal.end,
            reason=reason,
            expires_at=proposal.expires_at,
            now=at,
        )
    else:
        await booking_store.set_status(
            tx, booking.id, target, reason=reason, now=at, confirm=confirm, bump_sequence=bump_sequence
        )
    await booking_events.append_event(
        tx,
        booking_id=booking.id,
        actor_id=actor.user_id,
        actor_role=actor.role,
        action=action.value,
        from_status=from_status,
        to_status=target,
        reason=reason,
        at=at,
        data=data,
    )
    return target


async def _insert(tx: Connection, new: NewBooking, status: BookingStatus, at: dt.datetime) -> None:
    await booking_store.insert_booking(
        tx,
        booking_id=new.id,
        call_id=new.call_id,
        client_id=new.client_id,
        expert_id=new.expert_id,
        area_id=new.area_id,
        status=status,
        starts_at=new.starts_at,
        duration_minutes=new.duration_minutes,
        blocked=new.blocked,
        price=new.price,
        platform_fee_bps=new.platform_fee_bps,
        room_name=new.room_name,
        note=new.note,
        expires_at=new.expires_at,
        now=at,
    )
