"""``favorites.announce_new_hours``: tell an expert's fans that new hours are open (deduplicated per day)."""

from __future__ import annotations

import msgspec

from procus.jobs.registry import Entrypoint, JobRun
from procus.services.favorites import NEW_HOURS_JOB, FavoriteService, NewHoursJob

__all__ = ["ENTRYPOINTS", "announce_new_hours"]


async def announce_new_hours(favorites: FavoriteService, job: JobRun) -> None:
    await favorites.announce_new_hours(msgspec.json.decode(job.payload, type=NewHoursJob))


ENTRYPOINTS = [Entrypoint(name=NEW_HOURS_JOB, service="favorites", run=announce_new_hours)]
