"""Avatar upkeep: objects left behind by failed deletes or interrupted uploads are removed hourly.

Idempotent: a sweep re-lists storage and re-checks the users table, and deleting a missing object is
not an error, so overlapping or repeated runs delete each orphan at most once in effect.
"""

from __future__ import annotations

from procus.jobs.registry import Schedule
from procus.services.accounts.avatars import AvatarService

__all__ = ["SCHEDULES", "sweep_orphans"]


async def sweep_orphans(avatars: AvatarService) -> None:
    await avatars.sweep_orphans()


SCHEDULES = [Schedule(name="avatars.sweep_orphans", cron="41 * * * *", service=AvatarService, run=sweep_orphans)]
