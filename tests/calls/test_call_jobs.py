"""The call jobs as the worker runs them: declared for the worker, and the room-closing job retried."""

from __future__ import annotations

import datetime as dt

from procus.jobs import all_entrypoints, all_schedules
from procus.jobs.calls import ENTRYPOINTS
from procus.services.calls import CallService
from tests.calls.conftest import Calls
from tests.jobs.conftest import drain

MINUTE = dt.timedelta(minutes=1)


def test_the_worker_runs_the_call_sweeps_every_minute() -> None:
    sweeps = {spec.name: spec for spec in all_schedules() if spec.name.startswith("calls.")}
    assert set(sweeps) == {"calls.reconcile_attendance", "calls.decide_no_shows", "calls.end_overdue"}
    assert {(spec.cron, spec.service) for spec in sweeps.values()} == {("* * * * *", CallService)}
    assert "calls.close_room" in {spec.name for spec in all_entrypoints()}


async def test_a_room_the_api_could_not_close_is_closed_by_the_worker(calls: Calls) -> None:
    call = await calls.ready()
    await calls.meet(call)
    calls.rooms.down = True
    ended = await calls.client.post(f"/v1/calls/{call.booking_id}/end", headers=call.client_headers)
    assert ended.status_code == 200, ended.text
    assert call.room not in calls.rooms.deleted

    calls.rooms.down = False
    await drain(calls.worker, ENTRYPOINTS)

    assert calls.rooms.deleted == [call.room]
    async with calls.db.connection() as conn:
        statuses = await conn.fetch("SELECT status::text FROM pgqueuer WHERE entrypoint = 'calls.close_room'")
    assert [row[0] for row in statuses] == [], "done and removed from the queue"
