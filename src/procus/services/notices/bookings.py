"""What people are told when a booking changes, in the transaction that changes it.

Every notice is an in-app notification with its email (``procus.services.notices.notifications.notify``);
confirmations and moves carry the calendar invite (METHOD REQUEST), cancellations of a booking
that had one carry METHOD CANCEL with the next SEQUENCE. Confirming or moving a booking also plans
its reminders (``procus.services.notices.reminders``), which re-read the booking through
:class:`BookingReminderReader` before they go out.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import msgspec
from icalendar import Event

from procus.domain.bookings import CLOSED_BY_CANCELLATION, BookingStatus, BookingView, Party
from procus.domain.errors import NotFound
from procus.domain.mail import Attachment, ics_attachment
from procus.domain.money import Money
from procus.domain.reminders import BookingReminder, ReminderParty
from procus.services.notices.calendar_invite import InviteMethod, booking_event, build_invite
from procus.services.notices.links import BookingLinks
from procus.services.notices.notifications import EmailSpec, notify
from procus.services.notices.reminders import schedule_booking_reminders
from procus.services.ports.clock import Clock
from procus.store import bookings as booking_store
from procus.store.db import Connection

__all__ = ["BookingLinks", "BookingNotices", "BookingReminderReader", "calendar_event_for", "invite_for"]


def _event_fields(view: BookingView, links: BookingLinks) -> dict[str, Any]:
    booking = view.booking
    return {
        "booking_id": booking.id,
        "sequence": booking.sequence,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "summary": f"{view.area_title}: {view.client.full_name} and {view.expert.full_name}",
        "description": f"ProcusMeet consultation on {view.area_title}.",
        "join_url": links.join(booking.id),
        "organizer_email": view.expert.email,
        "organizer_name": view.expert.full_name,
        "attendee_email": view.client.email,
        "attendee_name": view.client.full_name,
        "stamp": booking.updated_at,
    }


def invite_for(view: BookingView, links: BookingLinks) -> tuple[bytes, InviteMethod]:
    """The booking's calendar event as it stands: REQUEST while it is on, CANCEL once it is off."""
    method: InviteMethod = "CANCEL" if view.booking.status in CLOSED_BY_CANCELLATION else "REQUEST"
    return build_invite(method=method, **_event_fields(view, links)), method


def calendar_event_for(view: BookingView, links: BookingLinks) -> Event:
    """The same event for a calendar feed: the invite's UID and SEQUENCE, cancelled once the booking is off."""
    return booking_event(cancelled=view.booking.status in CLOSED_BY_CANCELLATION, **_event_fields(view, links))


def _both(view: BookingView) -> list[tuple[Party, Party]]:
    """(recipient, other party) for both participants, in user-id order (``notify`` locks per user)."""
    pairs = [(view.client, view.expert), (view.expert, view.client)]
    return sorted(pairs, key=lambda pair: pair[0].id)


class _Notice(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    title: str
    body: str
    template: str
    context: dict[str, Any]
    attachment: Attachment | None = None
    important: bool = False


class _Told(msgspec.Struct, frozen=True):
    """A change both participants hear of, told the same way to each."""

    kind: str
    title: str
    says: str
    """What happened to the booking, after "<topic> with <the other>"."""
    template: str


class BookingNotices:
    def __init__(self, links: BookingLinks, clock: Clock) -> None:
        self._links = links
        self._clock = clock

    async def request_paid(self, tx: Connection, booking_id: uuid.UUID, now: dt.datetime | None = None) -> None:
        """Tell the expert about a request once its payment is held (payments calls this)."""
        view = await booking_store.get_view(tx, booking_id)
        booking = view.booking
        notice = _Notice(
            kind="booking.requested",
            title="New booking request",
            body=f"{view.client.full_name} asked for {booking.duration_minutes} minutes on {view.area_title}.",
            template="booking_requested",
            context={
                "client_name": view.client.full_name,
                "starts_at": booking.starts_at,
                "ends_at": booking.ends_at,
                "message": booking.note or None,
                "respond_by": booking.expires_at,
            },
            important=True,
        )
        await self._notify(tx, view, view.expert, notice, now)

    async def confirmed(self, tx: Connection, view: BookingView, now: dt.datetime) -> None:
        told = _Told("booking.confirmed", "Booking confirmed", "is confirmed.", "booking_confirmed")
        times = {"starts_at": view.booking.starts_at, "ends_at": view.booking.ends_at}
        await self._booking_on(tx, view, now, told, times)

    async def declined(self, tx: Connection, view: BookingView, reason: str | None, now: dt.datetime) -> None:
        notice = _Notice(
            kind="booking.declined",
            title="Booking declined",
            body=f"{view.expert.full_name} declined your request for {view.area_title}; you are refunded in full.",
            template="booking_declined",
            context={"expert_name": view.expert.full_name, "starts_at": view.booking.starts_at, "reason": reason},
        )
        await self._notify(tx, view, view.client, notice, now)

    async def reschedule_proposed(
        self, tx: Connection, view: BookingView, reason: str | None, now: dt.datetime
    ) -> None:
        booking = view.booking
        notice = _Notice(
            kind="booking.reschedule_proposed",
            title="New time proposed",
            body=f"{view.expert.full_name} proposed another time for {view.area_title}.",
            template="reschedule_proposed",
            context={
                "proposer_name": view.expert.full_name,
                "old_starts_at": booking.starts_at,
                "new_starts_at": booking.proposed_start,
                "new_ends_at": booking.proposed_end,
                "message": reason,
            },
            important=True,
        )
        await self._notify(tx, view, view.client, notice, now)

    async def rescheduled(self, tx: Connection, view: BookingView, old_start: dt.datetime, now: dt.datetime) -> None:
        told = _Told("booking.rescheduled", "Booking moved", "has moved to the new time.", "reschedule_accepted")
        times = {
            "old_starts_at": old_start,
            "new_starts_at": view.booking.starts_at,
            "new_ends_at": view.booking.ends_at,
        }
        await self._booking_on(tx, view, now, told, times)

    async def cancelled(
        self,
        tx: Connection,
        view: BookingView,
        *,
        by: Party | None,
        reason: str | None,
        refund: Money | None,
        now: dt.datetime,
    ) -> None:
        """Both participants learn of it; the CANCEL invite goes along if a calendar event was sent."""
        expired = view.booking.status is BookingStatus.EXPIRED
        told = _Told(
            "booking.expired" if expired else "booking.cancelled",
            "Booking expired" if expired else "Booking cancelled",
            "is off." + (f" {reason}" if reason else ""),
            "booking_cancelled",
        )

        def context(recipient: Party) -> dict[str, Any]:
            return {
                "cancelled_by_you": by is not None and by.id == recipient.id,
                "starts_at": view.booking.starts_at,
                "reason": reason,
                "refund": refund if recipient.id == view.client.id else None,
            }

        invite = self._invite(view) if view.booking.has_invite else None
        await self._tell_both(tx, view, told, context, invite, now)

    async def _booking_on(
        self, tx: Connection, view: BookingView, now: dt.datetime, told: _Told, times: dict[str, Any]
    ) -> None:
        """The booking now stands at ``times``: its reminders are planned, and both get the REQUEST invite."""
        await self._plan_reminders(tx, view, now)
        context = {**times, "join_url": self._links.join(view.booking.id)}
        await self._tell_both(tx, view, told, lambda _recipient: context, self._invite(view), now)

    async def _tell_both(
        self,
        tx: Connection,
        view: BookingView,
        told: _Told,
        context: Callable[[Party], dict[str, Any]],
        attachment: Attachment | None,
        now: dt.datetime,
    ) -> None:
        """Each participant: "<topic> with <the other> <told.says>", the other's name and ``context`` for the email."""
        for recipient, other in _both(view):
            notice = _Notice(
                kind=told.kind,
                title=told.title,
                body=f"{view.area_title} with {other.full_name} {told.says}",
                template=told.template,
                context={"other_party_name": other.full_name, **context(recipient)},
                attachment=attachment,
            )
            await self._notify(tx, view, recipient, notice, now)

    async def _plan_reminders(self, tx: Connection, view: BookingView, now: dt.datetime) -> None:
        booking = view.booking
        await schedule_booking_reminders(
            tx, booking_id=booking.id, sequence=booking.sequence, starts_at=booking.starts_at, now=now
        )

    def _invite(self, view: BookingView) -> Attachment:
        data, method = invite_for(view, self._links)
        return ics_attachment(data, method)

    async def _notify(
        self, tx: Connection, view: BookingView, recipient: Party, notice: _Notice, now: dt.datetime | None
    ) -> None:
        booking_id = view.booking.id
        await notify(
            tx,
            user_id=recipient.id,
            kind=notice.kind,
            title=notice.title,
            body=notice.body[:2000],
            data={"booking_id": str(booking_id), "url": self._links.booking_path(booking_id)},
            now=now or self._clock.now(),
            important=notice.important,
            email=EmailSpec(
                template=notice.template,
                context={"topic": view.area_title, "booking_url": self._links.booking(booking_id), **notice.context},
                attachments=[notice.attachment] if notice.attachment else [],
            ),
        )


class BookingReminderReader:
    """The bookings side of ``procus.services.notices.reminders.BookingReminderSource``."""

    def __init__(self, links: BookingLinks) -> None:
        self._links = links

    async def booking_for_reminder(self, conn: Connection, booking_id: uuid.UUID) -> BookingReminder | None:
        try:
            view = await booking_store.get_view(conn, booking_id)
        except NotFound:
            return None
        booking = view.booking
        return BookingReminder(
            booking_id=booking.id,
            sequence=booking.sequence,
            confirmed=booking.status is BookingStatus.CONFIRMED,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            topic=view.area_title,
            join_url=self._links.join(booking.id),
            parties=[
                ReminderParty(user_id=view.client.id, other_party_name=view.expert.full_name),
                ReminderParty(user_id=view.expert.id, other_party_name=view.client.full_name),
            ],
        )
