"""No-shows decided by the job from attendance, once, with their money outcomes."""

from __future__ import annotations

import datetime as dt

import pytest

from procus.domain.video import ParticipantInfo
from tests.calls.conftest import Calls

MINUTE = dt.timedelta(minutes=1)
PRICE = 50_00


async def notification_kinds(calls: Calls, user_id: object) -> list[str]:
    async with calls.db.connection() as conn:
        rows = await conn.fetch("SELECT kind FROM notifications WHERE user_id = $1 ORDER BY seq", user_id)
    return [row["kind"] for row in rows]


async def test_nothing_is_decided_before_the_no_show_time(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at + 15 * MINUTE - dt.timedelta(seconds=1))
    assert await calls.service.no_shows.decide_no_shows() == 0
    assert (await calls.get(call))["booking_status"] == "confirmed"


async def test_an_absent_expert_means_a_full_refund(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at)
    await calls.arrive(call, call.client_id, 0)
    calls.at(call.starts_at + 15 * MINUTE)

    assert await calls.service.no_shows.decide_no_shows() == 1
    assert await calls.service.no_shows.decide_no_shows() == 0, "decided once"

    details = await calls.get(call)
    assert (details["status"], details["booking_status"]) == ("no_show_expert", "no_show_expert")
    assert await calls.payment_status(call) == "refunded"
    assert await calls.refunds(call) == [PRICE]
    assert (await calls.booking_events(call))[-1] == ("mark_no_show_expert", "system", "no_show_expert")
    assert call.room in calls.rooms.deleted
    assert "call.no_show_expert" in await notification_kinds(calls, call.client_id)
    assert "call.no_show_expert" in await notification_kinds(calls, call.expert_id)
    assert await calls.worker.ledger.verify() == []


async def test_a_client_who_never_came_while_the_expert_waited_pays(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at + 16 * MINUTE)
    await calls.arrive(call, call.expert_id, -1)

    assert await calls.service.no_shows.decide_no_shows() == 1

    assert (await calls.get(call))["booking_status"] == "no_show_client"
    assert await calls.payment_status(call) == "released"
    assert await calls.refunds(call) == []
    assert (await calls.booking_events(call))[-1] == ("mark_no_show_client", "system", "no_show_client")


async def test_nobody_came_means_a_full_refund(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at + 15 * MINUTE)

    assert await calls.service.no_shows.decide_no_shows() == 1

    details = await calls.get(call)
    assert (details["status"], details["booking_status"]) == ("no_show_both", "no_show_both")
    assert await calls.payment_status(call) == "refunded"
    assert await calls.refunds(call) == [PRICE]
    events = await calls.booking_events(call)
    assert events[-1] == ("mark_no_show_both", "system", "no_show_both")


async def test_a_call_that_happened_is_never_a_no_show(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at)
    await calls.arrive(call, call.client_id, 0)
    await calls.arrive(call, call.expert_id, 2)
    calls.at(call.starts_at + 30 * MINUTE)
    assert await calls.service.no_shows.decide_no_shows() == 0
    assert (await calls.get(call))["status"] == "in_progress"


async def test_a_lost_join_webhook_does_not_make_a_no_show(calls: Calls) -> None:
    """The expert's participant_joined never arrived; the job asks the room before deciding."""
    call = await calls.ready()
    calls.at(call.starts_at)
    await calls.arrive(call, call.client_id, 0)
    calls.rooms.participants[call.room] = [
        ParticipantInfo(identity=str(call.expert_id), name="E", joined_at=call.starts_at + MINUTE, sid="PA_e"),
        ParticipantInfo(
            identity=str(call.client_id), name="C", joined_at=call.starts_at, sid=f"PA_{call.client_id.hex[:8]}"
        ),
    ]
    calls.at(call.starts_at + 15 * MINUTE)

    assert await calls.service.no_shows.decide_no_shows() == 0

    details = await calls.get(call)
    assert details["status"] == "in_progress"
    assert dt.datetime.fromisoformat(details["actual_started_at"]) == call.starts_at + MINUTE


@pytest.mark.parametrize("minutes_late", [15, 20])
async def test_while_the_video_server_is_down_the_decision_waits(calls: Calls, minutes_late: int) -> None:
    call = await calls.ready()
    calls.at(call.starts_at + minutes_late * MINUTE)
    calls.rooms.down = True
    assert await calls.service.no_shows.decide_no_shows() == 0
    assert (await calls.get(call))["booking_status"] == "confirmed"
    calls.rooms.down = False
    assert await calls.service.no_shows.decide_no_shows() == 1


async def test_after_the_window_closes_it_is_decided_from_what_we_know(calls: Calls) -> None:
    call = await calls.ready()
    calls.at(call.starts_at)
    await calls.arrive(call, call.expert_id, 0)
    calls.rooms.down = True
    calls.at(call.ends_at + 15 * MINUTE)

    assert await calls.service.ending.end_overdue_calls() == 1

    assert (await calls.get(call))["booking_status"] == "no_show_client"
    assert await calls.payment_status(call) == "released"
