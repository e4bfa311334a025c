"""POST /v1/webhooks/livekit and the reconcile job: attendance that survives bad, late, repeated and lost events."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.domain.video import ParticipantInfo
from tests.calls.conftest import Calls
from tests.support.calls import livekit_event, sign_webhook

MINUTE = dt.timedelta(minutes=1)


async def test_a_bad_signature_is_401_and_stores_nothing(calls: Calls) -> None:
    call = await calls.ready()
    body = livekit_event("participant_joined", call.room, call.starts_at, identity=call.client_id)
    tampered = body.replace(str(call.client_id).encode(), str(uuid.uuid4()).encode())
    for payload, authorization in (
        (body, ""),
        (body, "Bearer not-a-jwt"),
        (tampered, sign_webhook(body)),
        (body, sign_webhook(body, secret="another-secret-of-at-least-32-chars!!")),
    ):
        response = await calls.webhook(payload, authorization)
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_webhook_signature"
    assert await calls.attendance_rows(call) == 0


async def test_joins_make_the_call_start_when_both_are_in(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at + 3 * MINUTE)
    await calls.arrive(call, call.client_id, -2)
    assert (await calls.get(call))["status"] == "scheduled"

    await calls.arrive(call, call.expert_id, 1)

    details = await calls.get(call)
    assert details["status"] == "in_progress"
    assert dt.datetime.fromisoformat(details["actual_started_at"]) == call.starts_at + MINUTE
    assert (details["client_seconds"], details["expert_seconds"]) == (5 * 60, 2 * 60)
    assert details["booking_status"] == "confirmed"


async def test_duplicates_are_recorded_once(calls: Calls) -> None:
    call = await calls.ready()
    body = livekit_event("participant_joined", call.room, call.starts_at, identity=call.client_id, event_id="EV_dup")
    assert (await calls.webhook(body)).json() == {"outcome": "recorded"}
    assert (await calls.webhook(body)).json() == {"outcome": "duplicate"}
    assert await calls.attendance_rows(call) == 1


async def test_out_of_order_events_give_the_same_attendance(calls: Calls) -> None:
    """The client's first connection drops (its left arrives last) and they rejoin; the expert waits."""
    call = await calls.ready()
    calls.at(call.starts_at + 30 * MINUTE)
    await calls.arrive(call, call.expert_id, 0)
    await calls.arrive(call, call.client_id, 1, session="PA_first")
    await calls.arrive(call, call.client_id, 6, session="PA_second")
    await calls.leave(call, call.client_id, 4, joined=1, session="PA_first")

    details = await calls.get(call)
    assert dt.datetime.fromisoformat(details["actual_started_at"]) == call.starts_at + MINUTE
    assert details["client_seconds"] == (3 + 24) * 60, "1-4 and 6-30: the late departure ended the first session only"
    assert details["status"] == "in_progress"


async def test_a_late_departure_can_show_they_never_met(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at + 10 * MINUTE)
    await calls.arrive(call, call.client_id, 0)
    await calls.arrive(call, call.expert_id, 5)
    assert (await calls.get(call))["status"] == "in_progress"

    await calls.leave(call, call.client_id, 2, joined=0)

    details = await calls.get(call)
    assert (details["status"], details["actual_started_at"]) == ("scheduled", None)


async def test_events_about_other_rooms_people_or_things_are_ignored(calls: Calls) -> None:
    call = await calls.ready()
    for body in (
        livekit_event("participant_joined", "booking-elsewhere", call.starts_at, identity=call.client_id),
        livekit_event("participant_joined", call.room, call.starts_at, identity=uuid.uuid4()),
        livekit_event("track_published", call.room, call.starts_at, identity=call.client_id),
        livekit_event("room_started", call.room, call.starts_at),
    ):
        response = await calls.webhook(body)
        assert (response.status_code, response.json()) == (200, {"outcome": "ignored"})
    assert await calls.attendance_rows(call) == 0


async def test_room_finished_closes_whoever_was_left_open(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at + 50 * MINUTE)
    await calls.arrive(call, call.client_id, 0)
    await calls.arrive(call, call.expert_id, 0)
    await calls.webhook(livekit_event("room_finished", call.room, call.starts_at + 20 * MINUTE))
    details = await calls.get(call)
    assert (details["client_seconds"], details["expert_seconds"]) == (20 * 60, 20 * 60)


async def test_reconcile_recovers_lost_joins_and_departures(calls: Calls) -> None:
    """No webhook arrives at all; the job lists the room while the call is live."""
    call = await calls.ready()
    other = await calls.ready()
    calls.at(call.starts_at + 2 * MINUTE)
    calls.rooms.participants[call.room] = [
        ParticipantInfo(identity=str(call.client_id), name="C", joined_at=call.starts_at, sid="PA_c"),
        ParticipantInfo(identity=str(call.expert_id), name="E", joined_at=call.starts_at + MINUTE, sid="PA_e"),
        ParticipantInfo(identity="intruder", name="?", joined_at=call.starts_at, sid="PA_x"),
    ]

    assert await calls.service.attendance.reconcile_live_calls() == 2
    assert await calls.service.attendance.reconcile_live_calls() == 0, "the same minute's observations are idempotent"

    details = await calls.get(call)
    assert dt.datetime.fromisoformat(details["actual_started_at"]) == call.starts_at + MINUTE
    assert details["status"] == "in_progress"
    assert (await calls.get(other))["actual_started_at"] is None

    calls.rooms.participants[call.room] = calls.rooms.participants[call.room][1:2]
    calls.at(call.starts_at + 7 * MINUTE)
    assert await calls.service.attendance.reconcile_live_calls() == 2, "the client gone (absent), the expert seen again"
    calls.at(call.starts_at + 20 * MINUTE)
    details = await calls.get(call)
    assert details["client_seconds"] == 7 * 60, "absent from the listing at minute 7"
    assert details["expert_seconds"] == 19 * 60


async def test_reconcile_skips_a_call_when_the_video_server_is_down(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at)
    calls.rooms.down = True
    assert await calls.service.attendance.reconcile_live_calls() == 0
    assert await calls.attendance_rows(call) == 0
