"""``send_email``: deliver one queued email (see procus.services.email_delivery for the guarantees)."""

from __future__ import annotations

import datetime as dt

import msgspec

from procus.jobs.registry import Entrypoint, JobRun, RetryPolicy
from procus.services.email_delivery import EmailDeliveryService
from procus.services.emails import SEND_EMAIL_JOB, EmailJob

__all__ = ["ENTRYPOINTS", "send_email"]


async def send_email(delivery: EmailDeliveryService, job: JobRun) -> None:
    await delivery.deliver(msgspec.json.decode(job.payload, type=EmailJob), job_id=job.id)


ENTRYPOINTS = [
    Entrypoint(
        name=SEND_EMAIL_JOB,
        service="email_delivery",
        run=send_email,
        retry=RetryPolicy(max_attempts=10, first_delay=dt.timedelta(seconds=30), max_delay=dt.timedelta(hours=2)),
    )
]
