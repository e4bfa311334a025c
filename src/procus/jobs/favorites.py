"""``favorites.announce_new_hours``: tell an expert's fans that new hours are open (deduplicated per day)."""

from __future__ import annotations

from procus.jobs.registry import Entrypoint, JobRun
from procus.services.trust.favorites import NEW_HOURS, FavoriteService

__all__ = ["ENTRYPOINTS", "announce_new_hours"]


async def announce_new_hours(favorites: FavoriteService, job: JobRun) -> None:
    await favorites.announce_new_hours(NEW_HOURS.decode(job.payload))


ENTRYPOINTS = [Entrypoint(name=NEW_HOURS.name, service=FavoriteService, run=announce_new_hours)]
