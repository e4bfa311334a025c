"""Booking reminders 24 hours and 15 minutes before a call, with the join link.

For the bookings service: whenever a booking becomes confirmed or is rescheduled (its invite
SEQUENCE bumped), call, in the same transaction::

    await schedule_booking_reminders(tx, booking_id=b.id, sequence=b.sequence, starts_at=b.starts_at, now=now)

Nothing needs undoing on cancel or reschedule: each reminder job re-reads the booking through a
:class:`BookingReminderSource` and sends only if it is still confirmed, still at that sequence and
still starting at that instant. The bookings store provides the source (replace
:class:`NoBookingReminders` in ``bootstrap.Container.create``).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Protocol

import msgspec

from procus.domain.reminders import BookingReminder, ReminderLead, due_reminders, reminder_is_stale
from procus.services.notices.links import BookingLinks
from procus.services.notices.notifications import EmailSpec, notify
from procus.services.ports.clock import Clock
from procus.store.db import Connection, Database
from procus.store.jobs import JobKind

__all__ = [
    "BOOKING_REMINDER",
    "BOOKING_REMINDER_JOB",
    "BookingReminderSource",
    "NoBookingReminders",
    "ReminderJob",
    "ReminderService",
    "schedule_booking_reminders",
]

log = logging.getLogger(__name__)


class BookingReminderSource(Protocol):
    async def booking_for_reminder(self, conn: Connection, booking_id: uuid.UUID) -> BookingReminder | None:
        """The booking as it is now (read in ``conn``'s transaction), or None if it does not exist."""
        ...


class NoBookingReminders:
    """Until bookings exist: every reminder finds no booking and does nothing."""

    async def booking_for_reminder(self, conn: Connection, booking_id: uuid.UUID) -> BookingReminder | None:
        return None


class ReminderJob(msgspec.Struct, frozen=True, kw_only=True):
    """The ``booking_reminder`` job payload: the booking as it was when the reminder was planned."""

    booking_id: uuid.UUID
    sequence: int
    starts_at: dt.datetime
    lead: ReminderLead


BOOKING_REMINDER = JobKind("booking_reminder", ReminderJob)
BOOKING_REMINDER_JOB = BOOKING_REMINDER.name


async def schedule_booking_reminders(
    tx: Connection, *, booking_id: uuid.UUID, sequence: int, starts_at: dt.datetime, now: dt.datetime
) -> int:
    """Queue the reminders still ahead for this version of the booking; returns how many were queued."""
    queued = 0
    for lead, run_at in due_reminders(starts_at, now):
        job = ReminderJob(booking_id=booking_id, sequence=sequence, starts_at=starts_at, lead=lead)
        job_id = await BOOKING_REMINDER.enqueue(
            tx, job, run_at=run_at, now=now, dedupe_key=_key(booking_id, sequence, lead)
        )
        queued += job_id is not None
    return queued


class ReminderService:
    def __init__(self, db: Database, clock: Clock, bookings: BookingReminderSource) -> None:
        self._db = db
        self._clock = clock
        self._bookings = bookings

    async def send_booking_reminder(self, job: ReminderJob) -> bool:
        """Notify and email both parties if the booking is unchanged; True if reminders went out."""
        now = self._clock.now()
        if reminder_is_stale(job.lead, job.starts_at, now):
            log.info("reminder too late, dropped", extra={"booking_id": str(job.booking_id), "lead": job.lead})
            return False
        async with self._db.transaction() as tx:
            booking = await self._bookings.booking_for_reminder(tx, job.booking_id)
            if booking is None or not _still_applies(booking, job):
                return False
            for party in sorted(booking.parties, key=lambda p: p.user_id):
                await notify(
                    tx,
                    user_id=party.user_id,
                    kind="booking.reminder",
                    title=_title(job.lead, booking.topic),
                    body=f"Your consultation with {party.other_party_name} starts in {_lead_words(job.lead)}.",
                    data={
                        "booking_id": str(booking.booking_id),
                        "lead": job.lead.value,
                        "url": BookingLinks.booking_path(booking.booking_id),
                    },
                    now=now,
                    email=EmailSpec(
                        template=job.lead.template,
                        context={
                            "topic": booking.topic,
                            "other_party_name": party.other_party_name,
                            "starts_at": booking.starts_at,
                            "ends_at": booking.ends_at,
                            "join_url": booking.join_url,
                        },
                    ),
                    dedupe_key=_key(booking.booking_id, booking.sequence, job.lead),
                )
        return True


def _still_applies(booking: BookingReminder, job: ReminderJob) -> bool:
    return booking.confirmed and booking.sequence == job.sequence and booking.starts_at == job.starts_at


def _key(booking_id: uuid.UUID, sequence: int, lead: ReminderLead) -> str:
    return f"booking-reminder:{booking_id}:{sequence}:{lead.value}"


def _lead_words(lead: ReminderLead) -> str:
    return "24 hours" if lead is ReminderLead.DAY_BEFORE else "15 minutes"


def _title(lead: ReminderLead, topic: str) -> str:
    prefix = "Tomorrow" if lead is ReminderLead.DAY_BEFORE else "In 15 minutes"
    return f"{prefix}: {topic}"[:200]
