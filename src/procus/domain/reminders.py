"""Booking reminders: when they are due, and when one has become pointless.

A confirmed booking gets two reminders, 24 hours and 15 minutes before it starts. Reminders are
keyed by the booking's invite SEQUENCE: a rescheduled booking has a new sequence, so the reminders
queued for its old time find the booking changed and do nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import msgspec

__all__ = ["BookingReminder", "ReminderLead", "ReminderParty", "due_reminders", "reminder_is_stale"]


class ReminderLead(enum.StrEnum):
    DAY_BEFORE = "24h"
    QUARTER_HOUR = "15m"

    @property
    def before(self) -> dt.timedelta:
        return dt.timedelta(hours=24) if self is ReminderLead.DAY_BEFORE else dt.timedelta(minutes=15)

    @property
    def template(self) -> str:
        return f"booking_reminder_{self.value}"


class ReminderParty(msgspec.Struct, frozen=True, kw_only=True):
    user_id: uuid.UUID
    other_party_name: str


class BookingReminder(msgspec.Struct, frozen=True, kw_only=True):
    """What a reminder needs to know about a booking, as it is now."""

    booking_id: uuid.UUID
    sequence: int
    """The booking's invite SEQUENCE (bumped on every reschedule)."""
    confirmed: bool
    starts_at: dt.datetime
    ends_at: dt.datetime
    topic: str
    join_url: str
    parties: list[ReminderParty]
    """Both people on the call (client and expert), each with the name of the other."""


def due_reminders(starts_at: dt.datetime, now: dt.datetime) -> list[tuple[ReminderLead, dt.datetime]]:
    """The reminders still worth sending for a booking starting at ``starts_at``, with their times."""
    return [(lead, starts_at - lead.before) for lead in ReminderLead if starts_at - lead.before > now]


def reminder_is_stale(lead: ReminderLead, starts_at: dt.datetime, now: dt.datetime) -> bool:
    """A late reminder (worker down, queue backed up) is dropped once a later one would already be due."""
    if now >= starts_at:
        return True
    return lead is ReminderLead.DAY_BEFORE and now >= starts_at - ReminderLead.QUARTER_HOUR.before
