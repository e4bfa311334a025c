"""POST /v1/calls/{booking_id}/token: who may enter which room, and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jwt
import pytest
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.integrations.livekit import LiveKitRooms
from tests.calls.conftest import Calls, video_integrations
from tests.support.accounts import bearer, register
from tests.support.calls import VIDEO_KEY, VIDEO_SECRET
from tests.support.fake_paystack import FakePaystackServer
from tests.support.livekit_server import free_tcp_port

MINUTE = dt.timedelta(minutes=1)


def claims(token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, VIDEO_SECRET, algorithms=["HS256"], issuer=VIDEO_KEY)
    return decoded


def problem(response: Any) -> tuple[int, str]:
    return response.status_code, response.json().get("code")


async def test_each_participant_gets_a_token_for_this_room_only(calls: Calls, call_settings: Settings) -> None:
    call = await calls.ready(duration=180)
    calls.at(call.starts_at - 10 * MINUTE)

    tokens = {}
    for who, headers in (("client", call.client_headers), ("expert", call.expert_headers)):
        response = await calls.token(call, headers)
        assert response.status_code == 200, response.text
        tokens[who] = response.json()

    client_token, expert_token = tokens["client"], tokens["expert"]
    assert client_token["url"] == call_settings.livekit_url
    assert client_token["room"] == expert_token["room"] == call.room == f"booking-{call.booking_id}"
    client_claims = claims(client_token["token"])
    assert client_claims["sub"] == client_token["identity"] == str(call.client_id)
    assert client_claims["name"] == "Ada Client"
    assert client_claims["video"] == {
        "roomJoin": True,
        "room": call.room,
        "canPublish": True,
        "canSubscribe": True,
        "canPublishData": True,
    }, "join this room only: no roomCreate, roomAdmin, roomList or recorder grants"
    assert claims(expert_token["token"])["sub"] == str(call.expert_id)
    assert claims(expert_token["token"])["name"] == "Grace Expert"
    assert client_claims["exp"] - client_claims["nbf"] == 2 * 3600, "the configured TTL, inside this long window"
    assert calls.rooms.rooms == {call.room: (2, 120)}, "created on the first token: two people, short empty timeout"


async def test_a_token_never_outlives_the_end_of_the_grace_period(calls: Calls) -> None:
    call = await calls.ready(duration=30)
    closes_at = call.ends_at + dt.timedelta(seconds=900)
    for instant in (call.starts_at - 10 * MINUTE, call.starts_at + 20 * MINUTE, closes_at - dt.timedelta(seconds=7)):
        calls.at(instant)
        response = await calls.token(call, call.client_headers)
        assert response.status_code == 200, response.text
        token = claims(response.json()["token"])
        assert token["exp"] - token["nbf"] == int((closes_at - instant).total_seconds())
        assert dt.datetime.fromisoformat(response.json()["expires_at"]) == closes_at


@pytest.mark.parametrize(
    ("offset", "code"),
    [
        pytest.param(-10 * MINUTE - dt.timedelta(seconds=1), "call_not_open_yet", id="just-too-early"),
        pytest.param(-dt.timedelta(days=1), "call_not_open_yet", id="a-day-early"),
        pytest.param(60 * MINUTE + 15 * MINUTE, "call_window_closed", id="grace-over"),
        pytest.param(dt.timedelta(days=1), "call_window_closed", id="a-day-late"),
    ],
)
async def test_outside_the_window_the_api_refuses(calls: Calls, offset: dt.timedelta, code: str) -> None:
    call = await calls.ready()
    calls.at(call.starts_at + offset)
    response = await calls.token(call, call.expert_headers)
    assert problem(response) == (409, code)
    assert calls.rooms.rooms == {}, "no room for a refused token"


async def test_strangers_admins_and_unready_bookings_are_refused(calls: Calls) -> None:
    call = await calls.ready()
    stranger = bearer(await register(calls.client, role="client"))
    admin_tokens = await register(calls.client, role="client")
    async with calls.db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1::uuid", admin_tokens["user"]["id"])
    admin = bearer(admin_tokens)
    calls.at(call.starts_at)
    assert problem(await calls.token(call, stranger)) == (404, "booking_not_found")
    assert problem(await calls.token(call, admin)) == (403, "call_participants_only")
    assert (await calls.client.post(f"/v1/calls/{call.booking_id}/token")).status_code == 401


async def test_a_booking_not_yet_confirmed_or_not_paid_is_refused(calls: Calls) -> None:
    pending = await calls.ready(accepted=False)
    confirmed = await calls.ready()
    async with calls.db.connection() as conn:
        await conn.execute("UPDATE payments SET status = 'failed' WHERE booking_id = $1", confirmed.booking_id)
    calls.at(pending.starts_at)
    assert problem(await calls.token(pending, pending.client_headers)) == (409, "booking_not_confirmed")
    assert problem(await calls.token(confirmed, confirmed.client_headers)) == (409, "payment_pending")


async def test_a_cancelled_booking_gets_no_token(calls: Calls) -> None:
    call = await calls.ready()
    cancelled = await calls.client.post(
        f"/v1/bookings/{call.booking_id}/cancel", json={"reason": "Plans changed"}, headers=call.client_headers
    )
    assert cancelled.status_code == 200, cancelled.text
    calls.at(call.starts_at)
    assert problem(await calls.token(call, call.client_headers)) == (409, "booking_not_confirmed")


async def test_video_down_is_503_and_changes_nothing(
    calls: Calls, call_settings: Settings, clock: Any, fake_paystack: FakePaystackServer
) -> None:
    call = await calls.ready()
    calls.at(call.starts_at)
    unreachable = LiveKitRooms(f"http://127.0.0.1:{free_tcp_port()}", VIDEO_KEY, VIDEO_SECRET, timeout_s=1)
    io: Integrations = video_integrations(clock, fake_paystack, unreachable)
    before = await calls.get(call), await calls.booking_events(call), await calls.payment_status(call)

    async with AsyncTestClient(create_app(call_settings, io)) as down:
        response = await down.post(f"/v1/calls/{call.booking_id}/token", headers=call.client_headers)

    assert response.status_code == 503
    assert response.json()["code"] == "video_unavailable"
    assert response.json()["status"] == 503
    assert (await calls.get(call), await calls.booking_events(call), await calls.payment_status(call)) == before
    assert await calls.attendance_rows(call) == 0
    calls.rooms.down = True
    assert problem(await calls.token(call, call.expert_headers)) == (503, "video_unavailable")
