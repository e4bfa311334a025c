"""Release sweep: pay experts for finished calls whose dispute window has closed (or that clients
confirmed), unless a dispute is open. Idempotent: each booking is re-checked under its lock."""

from __future__ import annotations

from procus.jobs.registry import Schedule
from procus.services.trust.disputes import DisputeService

__all__ = ["SCHEDULES", "release_due"]


async def release_due(disputes: DisputeService) -> None:
    await disputes.release_due()


SCHEDULES = [Schedule(name="disputes.release_due", cron="* * * * *", service=DisputeService, run=release_due)]
