"""``booking_reminder``: remind both parties of a call, if the booking is still as planned."""

from __future__ import annotations

import msgspec

from procus.jobs.registry import Entrypoint, JobRun
from procus.services.reminders import BOOKING_REMINDER_JOB, ReminderJob, ReminderService

__all__ = ["ENTRYPOINTS", "send_booking_reminder"]


async def send_booking_reminder(reminders: ReminderService, job: JobRun) -> None:
    await reminders.send_booking_reminder(msgspec.json.decode(job.payload, type=ReminderJob))


ENTRYPOINTS = [Entrypoint(name=BOOKING_REMINDER_JOB, service="reminders", run=send_booking_reminder)]
