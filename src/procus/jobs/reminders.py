"""``booking_reminder``: remind both parties of a call, if the booking is still as planned."""

from __future__ import annotations

from procus.jobs.registry import Entrypoint, JobRun
from procus.services.notices.reminders import BOOKING_REMINDER, ReminderService

__all__ = ["ENTRYPOINTS", "send_booking_reminder"]


async def send_booking_reminder(reminders: ReminderService, job: JobRun) -> None:
    await reminders.send_booking_reminder(BOOKING_REMINDER.decode(job.payload))


ENTRYPOINTS = [Entrypoint(name=BOOKING_REMINDER.name, service=ReminderService, run=send_booking_reminder)]
