"""A storm of 1,000 LiveKit webhooks at once over real HTTP: every call's joins, departures and room
end many times over, shuffled, with forged deliveries and events about nothing we track mixed in.

Each event is recorded exactly once, each call's attendance comes out as if the events had arrived
one by one in order, each booking event happens once, and every forged delivery is refused.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from collections import Counter

import httpx

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from tests.calls.conftest import Calls
from tests.support.calls import ReadyCall, livekit_event, sign_webhook
from tests.support.http_server import serve_in_thread

CALLS = 10
COPIES = 12  # of each of the 5 genuine events per call: 600
FORGED = 250
UNTRACKED = 150
CONCURRENCY = 25
MINUTE = dt.timedelta(minutes=1)
OTHER_SECRET = "another-secret-of-at-least-32-chars!!"


def _genuine(call: ReadyCall) -> list[bytes]:
    """The client in from the start, the expert a minute late; both gone at 20; the room ends at 25."""
    start = call.starts_at
    client, expert = f"PA_c{call.booking_id.hex[:8]}", f"PA_e{call.booking_id.hex[:8]}"
    return [
        livekit_event("participant_joined", call.room, start, identity=call.client_id, session=client),
        livekit_event("participant_joined", call.room, start + MINUTE, identity=call.expert_id, session=expert),
        livekit_event(
            "participant_left", call.room, start + 20 * MINUTE, identity=call.client_id, session=client, joined_at=start
        ),
        livekit_event(
            "participant_left",
            call.room,
            start + 20 * MINUTE,
            identity=call.expert_id,
            session=expert,
            joined_at=start + MINUTE,
        ),
        livekit_event("room_finished", call.room, start + 25 * MINUTE),
    ]


def _forged(body: bytes, i: int) -> tuple[bytes, str]:
    if i % 4 == 0:
        return body, ""
    if i % 4 == 1:
        return body, "Bearer not-a-jwt"
    if i % 4 == 2:
        return body, sign_webhook(body, secret=OTHER_SECRET)
    tampered = body.replace(b'"room": {', b'"room": {"extra": 1, ')  # signed before it was changed
    assert tampered != body
    return tampered, sign_webhook(body)


async def test_a_thousand_concurrent_livekit_webhooks_record_each_event_exactly_once(
    calls: Calls, call_settings: Settings, integrations: Integrations
) -> None:
    ready = [await calls.ready() for _ in range(CALLS)]
    before = {call.booking_id: await calls.booking_events(call) for call in ready}
    deliveries: list[tuple[str, bytes, str]] = []
    genuine = {call.booking_id: _genuine(call) for call in ready}
    for bodies in genuine.values():
        for body in bodies:
            deliveries += [("genuine", body, sign_webhook(body))] * COPIES
    for i in range(FORGED):
        call = ready[i % CALLS]
        deliveries.append(("forged", *_forged(genuine[call.booking_id][i % 5], i)))
    for i in range(UNTRACKED):
        call = ready[i % CALLS]
        body = (
            livekit_event("participant_joined", f"room-nobody-books-{i}", call.starts_at, identity=uuid.uuid4())
            if i % 2
            else livekit_event("participant_joined", call.room, call.starts_at, identity=uuid.uuid4())
        )
        deliveries.append(("untracked", body, sign_webhook(body)))
    random.Random(23).shuffle(deliveries)
    assert len(deliveries) == 1000

    calls.at(max(call.starts_at for call in ready) + 30 * MINUTE)
    gate = asyncio.Semaphore(CONCURRENCY)
    with serve_in_thread(create_app(call_settings, integrations)) as base_url:
        # Connections idle for 1 s are not reused: the server closes idle ones after 5 s, and reusing
        # one just as it closes loses the request (a busy machine makes such gaps).
        limits = httpx.Limits(keepalive_expiry=1.0)
        async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as http:

            async def send(kind: str, body: bytes, authorization: str) -> tuple[str, int, str]:
                headers = {"Content-Type": "application/webhook+json", "Authorization": authorization}
                async with gate:
                    response = await http.post("/v1/webhooks/livekit", content=body, headers=headers)
                answer = response.json()
                return kind, response.status_code, answer.get("outcome") or answer["code"]

            answers = await asyncio.gather(*(send(*delivery) for delivery in deliveries))

    outcomes = Counter((kind, status, outcome) for kind, status, outcome in answers)
    assert outcomes == {
        ("genuine", 200, "recorded"): CALLS * 5,
        ("genuine", 200, "duplicate"): CALLS * 5 * (COPIES - 1),
        ("forged", 401, "invalid_webhook_signature"): FORGED,
        ("untracked", 200, "ignored"): UNTRACKED,
    }
    for call in ready:
        assert await calls.attendance_rows(call) == 5
        details = await calls.get(call)
        assert dt.datetime.fromisoformat(details["actual_started_at"]) == call.starts_at + MINUTE
        assert (details["client_seconds"], details["expert_seconds"]) == (20 * 60, 19 * 60)
        added = (await calls.booking_events(call))[len(before[call.booking_id]) :]
        assert len(added) == len(set(added)), f"a booking event happened twice: {added}"
