"""``send_email``: deliver one queued email (see procus.services.notices.email_delivery for the guarantees)."""

from __future__ import annotations

import datetime as dt

from procus.jobs.registry import Entrypoint, JobRun, RetryPolicy
from procus.services.notices.email_delivery import EmailDeliveryService
from procus.services.notices.emails import SEND_EMAIL

__all__ = ["ENTRYPOINTS", "send_email"]


async def send_email(delivery: EmailDeliveryService, job: JobRun) -> None:
    await delivery.deliver(SEND_EMAIL.decode(job.payload), job_id=job.id)


ENTRYPOINTS = [
    Entrypoint(
        name=SEND_EMAIL.name,
        service=EmailDeliveryService,
        run=send_email,
        retry=RetryPolicy(max_attempts=10, first_delay=dt.timedelta(seconds=30), max_delay=dt.timedelta(hours=2)),
    )
]
