"""A whole consultation on the real livekit-server over loopback: tokens from the API, two Python
participants exchanging video, LiveKit's webhooks reaching the API, and the API ending the call."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import msgspec
import pytest
from livekit import rtc

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from tests.calls.conftest import Calls, paystack_client
from tests.support.calls import ReadyCall
from tests.support.fake_paystack import FakePaystackServer
from tests.support.fakes import FakeClock, FakeGoogleIdentity, RecordingMailSender
from tests.support.http_server import serve_in_thread
from tests.support.livekit_participant import Participant
from tests.support.livekit_server import LiveKitHarness

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(180)]

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def live_api(
    livekit_server: LiveKitHarness, call_settings: Settings, clock: FakeClock, fake_paystack: FakePaystackServer
) -> Iterator[str]:
    """The app on loopback (so LiveKit can reach it), talking to the test's livekit-server, whose
    webhooks are relayed to the app's /v1/webhooks/livekit."""
    settings = msgspec.structs.replace(
        call_settings,
        livekit_url=livekit_server.url,
        livekit_api_url=livekit_server.api_url,
        livekit_api_key=livekit_server.key,
        livekit_api_secret=livekit_server.secret,
    )
    io = Integrations(
        clock=clock, google=FakeGoogleIdentity(), mail=RecordingMailSender(), payments=paystack_client(fake_paystack)
    )
    with serve_in_thread(create_app(settings, io)) as base_url:
        livekit_server.webhooks.forward_to = f"{base_url}/v1/webhooks/livekit"
        try:
            yield base_url
        finally:
            livekit_server.webhooks.forward_to = None


@pytest.fixture
async def api(live_api: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=live_api, timeout=20) as client:
        yield client


async def token_for(api: httpx.AsyncClient, call: ReadyCall, headers: dict[str, str]) -> dict[str, Any]:
    response = await api.post(f"/v1/calls/{call.booking_id}/token", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def wait_for_call(
    api: httpx.AsyncClient, call: ReadyCall, headers: dict[str, str], done: Any, timeout: float = 15
) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            body: dict[str, Any] = (await api.get(f"/v1/calls/{call.booking_id}", headers=headers)).json()
            if done(body):
                return body
            await asyncio.sleep(0.1)


async def wait_for_kinds(calls: Calls, call: ReadyCall, kinds: set[str], timeout: float = 15) -> None:
    """Until the webhooks LiveKit sends after the room is deleted have been recorded."""
    async with asyncio.timeout(timeout):
        while True:
            async with calls.db.connection() as conn:
                rows = await conn.fetch(
                    "SELECT DISTINCT kind FROM attendance_events a JOIN bookings b ON b.call_id = a.call_id"
                    " WHERE b.id = $1",
                    call.booking_id,
                )
            if kinds <= {row["kind"] for row in rows}:
                return
            await asyncio.sleep(0.1)


def with_room(token: str, room: str) -> str:
    """The token with its room claim rewritten and the signature left as it was."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["video"]["room"] = room
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def test_a_consultation_on_the_real_sfu(calls: Calls, api: httpx.AsyncClient) -> None:
    call = await calls.ready()
    other = await calls.ready()
    calls.at(call.starts_at - 5 * MINUTE)

    client_join = await token_for(api, call, call.client_headers)
    expert_join = await token_for(api, call, call.expert_headers)
    client = await Participant.join(client_join["url"], client_join["token"])
    expert = await Participant.join(expert_join["url"], expert_join["token"])
    intruder: Participant | None = None
    try:
        assert client.room.name == expert.room.name == call.room
        await client.publish_camera()
        await expert.publish_camera()
        assert (await client.first_frame_from(str(call.expert_id))).width > 0
        assert (await expert.first_frame_from(str(call.client_id))).width > 0

        # LiveKit's participant_joined webhooks reach the API: both present, the call has started
        started = await wait_for_call(api, call, call.client_headers, lambda body: body["actual_started_at"])
        assert started["status"] == "in_progress"
        async with calls.db.connection() as conn:
            recorded = await conn.fetch(
                "SELECT identity, kind, source FROM attendance_events a JOIN bookings b ON b.call_id = a.call_id"
                " WHERE b.id = $1",
                call.booking_id,
            )
        joins = {(row["identity"], row["source"]) for row in recorded if row["kind"] == "joined"}
        assert joins == {(str(call.client_id), "webhook"), (str(call.expert_id), "webhook")}

        # another booking's token grants that booking's room only, and its room claim cannot be edited
        other_join = await token_for(api, other, other.client_headers)
        assert other_join["room"] == other.room != call.room
        with pytest.raises(rtc.ConnectError) as forged:
            await Participant.join(other_join["url"], with_room(other_join["token"], call.room))
        assert "401" in forged.value.message
        intruder = await Participant.join(other_join["url"], other_join["token"])
        assert intruder.room.name == other.room
        assert {p.identity for p in client.room.remote_participants.values()} == {str(call.expert_id)}

        # the client ends the call: both are disconnected, the booking completes, the expert is paid.
        # LiveKit stamps departures in whole seconds: stay long enough for each to count at least one.
        await asyncio.sleep(2)
        calls.at(call.starts_at + 30 * MINUTE)
        ended = await api.post(f"/v1/calls/{call.booking_id}/end", headers=call.client_headers)
        assert ended.status_code == 200, ended.text
        assert (ended.json()["status"], ended.json()["booking_status"]) == ("completed", "completed")
        await client.wait_disconnected()
        await expert.wait_disconnected()
        assert await calls.payment_status(call) == "released"
        await wait_for_kinds(calls, call, {"left", "room_finished"})
        final = (await api.get(f"/v1/calls/{call.booking_id}", headers=call.expert_headers)).json()
        assert final["client_seconds"] >= 1
        assert final["expert_seconds"] >= 1
        refused = await api.post(f"/v1/calls/{call.booking_id}/token", headers=call.expert_headers)
        assert (refused.status_code, refused.json()["code"]) == (409, "call_ended")

        # outside its window the API refuses a token before LiveKit is ever asked
        calls.at(other.ends_at + 15 * MINUTE)
        late = await api.post(f"/v1/calls/{other.booking_id}/token", headers=other.expert_headers)
        assert (late.status_code, late.json()["code"]) == (409, "call_window_closed")
    finally:
        for participant in (client, expert, intruder):
            if participant is not None:
                await participant.leave()
