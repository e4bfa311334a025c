"""Ending a call: by either participant once both have joined, or by the job when its time is over."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.calls.conftest import Calls
from tests.support.accounts import bearer, register

MINUTE = dt.timedelta(minutes=1)


@pytest.mark.parametrize("who", ["client", "expert"])
async def test_either_participant_ends_the_call_and_the_expert_is_paid(calls: Calls, who: str) -> None:
    call = await calls.ready()
    calls.at(call.starts_at - 5 * MINUTE)
    assert (await calls.token(call, call.client_headers)).status_code == 200
    await calls.arrive(call, call.client_id, -4)
    await calls.arrive(call, call.expert_id, -3)
    calls.at(call.starts_at + 40 * MINUTE)

    headers = call.client_headers if who == "client" else call.expert_headers
    response = await calls.client.post(f"/v1/calls/{call.booking_id}/end", headers=headers)

    assert response.status_code == 200, response.text
    ended = response.json()
    assert (ended["status"], ended["booking_status"]) == ("completed", "completed")
    assert dt.datetime.fromisoformat(ended["ended_at"]) == call.starts_at + 40 * MINUTE
    assert (ended["client_seconds"], ended["expert_seconds"]) == (44 * 60, 43 * 60)
    assert call.room in calls.rooms.deleted, "the room is deleted at once, which disconnects both"
    assert call.room not in calls.rooms.rooms
    assert await calls.close_room_jobs() == [json.dumps({"room": call.room}, separators=(",", ":"))]
    assert await calls.payment_status(call) == "released"
    assert (await calls.booking_events(call))[-1] == ("complete", who, "completed")
    assert await calls.worker.ledger.verify() == []

    again = await calls.client.post(f"/v1/calls/{call.booking_id}/end", headers=call.expert_headers)
    assert (again.status_code, again.json()["code"]) == (409, "call_ended")
    token = await calls.token(call, call.client_headers)
    assert (token.status_code, token.json()["code"]) == (409, "call_ended")


async def test_a_call_nobody_has_joined_together_cannot_be_ended(calls: Calls) -> None:
    call = await calls.ready()
    stranger = bearer(await register(calls.client, role="client"))
    calls.at(call.starts_at + 2 * MINUTE)
    await calls.arrive(call, call.client_id, 0)

    response = await calls.client.post(f"/v1/calls/{call.booking_id}/end", headers=call.client_headers)
    assert (response.status_code, response.json()["code"]) == (409, "call_not_started")
    hidden = await calls.client.post(f"/v1/calls/{call.booking_id}/end", headers=stranger)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "booking_not_found")
    assert (await calls.get(call))["booking_status"] == "confirmed"
    assert await calls.payment_status(call) == "held"
    assert calls.rooms.deleted == []


async def test_the_job_ends_a_call_when_the_grace_period_is_over(calls: Calls) -> None:
    call = await calls.ready()
    await calls.meet(call)

    calls.at(call.ends_at + 15 * MINUTE - dt.timedelta(seconds=1))
    assert await calls.service.ending.end_overdue_calls() == 0
    assert (await calls.get(call))["status"] == "in_progress"

    calls.at(call.ends_at + 15 * MINUTE)
    assert await calls.service.ending.end_overdue_calls() == 1
    assert await calls.service.ending.end_overdue_calls() == 0, "idempotent"

    details = await calls.get(call)
    assert (details["status"], details["booking_status"]) == ("completed", "completed")
    assert details["client_seconds"] == 75 * 60, "the time until the call was ended"
    assert call.room in calls.rooms.deleted
    assert await calls.payment_status(call) == "released"
    assert (await calls.booking_events(call))[-1] == ("complete", "system", "completed")


async def test_the_booking_completes_even_if_the_video_server_is_unreachable(calls: Calls) -> None:
    """The room is closed later by the queued job; the booking and the money do not wait for LiveKit."""
    call = await calls.ready()
    await calls.meet(call)
    calls.rooms.down = True

    response = await calls.client.post(f"/v1/calls/{call.booking_id}/end", headers=call.expert_headers)

    assert response.status_code == 200, response.text
    assert await calls.payment_status(call) == "released"
    assert await calls.close_room_jobs() == [json.dumps({"room": call.room}, separators=(",", ":"))]
    calls.rooms.down = False
    await calls.service.ending.close_room(call.room)
    assert call.room in calls.rooms.deleted
