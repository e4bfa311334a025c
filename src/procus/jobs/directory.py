"""The directory's availability index: queued refreshes, and the sweep that moves it forward with time.

Both are idempotent: a refresh recomputes from the current hours and bookings, so running one twice
or after another writes the same answer.
"""

from __future__ import annotations

from procus.jobs.registry import Entrypoint, JobRun, Schedule
from procus.services.experts.directory_index import SWEEP_CRON, DirectoryIndex

__all__ = ["ENTRYPOINTS", "SCHEDULES", "refresh", "sweep"]

REFRESH_JOB = "directory.refresh"
"""Queued by the database triggers of the directory_index migration, one per expert newly queued."""


async def refresh(index: DirectoryIndex, job: JobRun) -> None:
    await index.refresh_pending()


async def sweep(index: DirectoryIndex) -> None:
    await index.sweep()


ENTRYPOINTS = [Entrypoint(name=REFRESH_JOB, service=DirectoryIndex, run=refresh)]
SCHEDULES = [Schedule(name="directory.sweep", cron=SWEEP_CRON, service=DirectoryIndex, run=sweep)]
