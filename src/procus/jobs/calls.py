"""Call sweeps and the room-closing job.

Every minute, while calls are live, their rooms are compared with what we know (attendance); calls
whose no-show time has passed without the parties meeting are decided; calls whose join window has
closed are ended. Each sweep re-checks every call under its row lock, so overlapping or repeated
runs decide each call once. ``calls.close_room`` deletes a concluded call's room, retried while
the video server is unreachable.
"""

from __future__ import annotations

import datetime as dt

from procus.jobs.registry import Entrypoint, JobRun, RetryPolicy, Schedule
from procus.services.calls import CLOSE_ROOM, CallService

__all__ = [
    "ENTRYPOINTS",
    "SCHEDULES",
    "close_room",
    "decide_no_shows",
    "end_overdue_calls",
    "reconcile_attendance",
]


async def close_room(calls: CallService, job: JobRun) -> None:
    await calls.ending.close_room(CLOSE_ROOM.decode(job.payload).room)


async def reconcile_attendance(calls: CallService) -> None:
    await calls.attendance.reconcile_live_calls()


async def decide_no_shows(calls: CallService) -> None:
    await calls.no_shows.decide_no_shows()


async def end_overdue_calls(calls: CallService) -> None:
    await calls.ending.end_overdue_calls()


ENTRYPOINTS = [
    Entrypoint(
        name=CLOSE_ROOM.name,
        service=CallService,
        run=close_room,
        retry=RetryPolicy(max_attempts=10, first_delay=dt.timedelta(seconds=10), max_delay=dt.timedelta(minutes=10)),
    )
]

SCHEDULES = [
    Schedule(name="calls.reconcile_attendance", cron="* * * * *", service=CallService, run=reconcile_attendance),
    Schedule(name="calls.decide_no_shows", cron="* * * * *", service=CallService, run=decide_no_shows),
    Schedule(name="calls.end_overdue", cron="* * * * *", service=CallService, run=end_overdue_calls),
]
