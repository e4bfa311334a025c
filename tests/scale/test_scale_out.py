"""Scale-out, with real processes on loopback: two ``procus serve`` and two ``procus worker`` processes on
one PostgreSQL, rate limits in a real Redis, and two livekit-server nodes in multi-node mode over it.

Each API process is its own OS process with its own pool and memory; what one knows reaches the
other only through PostgreSQL (notifications, jobs, stream leases) or Redis (rate limits, LiveKit's
routing). API process 0 sends browsers and room calls to LiveKit node 0, API process 1 to node 1.
"""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
from livekit import api as livekit_api

from procus.services.notices.emails import SEND_EMAIL, EmailJob
from tests.scale.conftest import AUTH_LIMIT, MAX_STREAMS, ScaleOut
from tests.support.accounts import PASSWORD
from tests.support.bookings import booking_body, http_expert, http_user, slot_start
from tests.support.calls import book_call
from tests.support.livekit_participant import Participant
from tests.support.livekit_server import LiveKitServer
from tests.support.notifications import open_stream, stream_status

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(360)]


@asynccontextmanager
async def _clients(scale: ScaleOut) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """HTTP clients of API process A and API process B."""
    first, second = scale.cluster.api
    assert first.url is not None
    assert second.url is not None
    async with (
        httpx.AsyncClient(base_url=first.url, timeout=15.0) as a,
        httpx.AsyncClient(base_url=second.url, timeout=15.0) as b,
    ):
        yield a, b


async def _ticket(http: httpx.AsyncClient, headers: dict[str, str]) -> str:
    response = await http.post("/v1/notifications/stream-ticket", headers=headers)
    assert response.status_code == 201, response.text
    ticket: str = response.json()["ticket"]
    return ticket


async def _a_booking_request_made_through_one_api_process_reaches_a_stream_on_the_other(
    scale_out: ScaleOut,
) -> None:
    async with _clients(scale_out) as (a, b):
        expert, expert_headers = await http_expert(a, scale_out.db)
        _, client_headers = await http_user(a, scale_out.db)
        assert b.base_url is not None
        async with open_stream(str(b.base_url), await _ticket(a, expert_headers)) as expert_stream:
            start = slot_start(dt.datetime.now(dt.UTC), days=2)
            created = await a.post("/v1/bookings", json=booking_body(expert, start), headers=client_headers)
            assert created.status_code == 201, created.text
            booking_id = created.json()["booking"]["id"]
            paid = await scale_out.relay.post(a, await scale_out.relay.pay(created.json()["checkout"]["reference"]))
            assert paid.json() == {"status": "held"}, paid.text
            event = await expert_stream.next_notification(timeout=10)
    notification = event.json()
    assert notification["kind"] == "booking.requested"
    assert booking_id in str(notification["data"])
    assert event.id == str(notification["seq"])


def _job_runs(scale: ScaleOut, job_ids: set[int]) -> dict[str, list[int]]:
    """Per worker, the ids among ``job_ids`` it ran to the end (its ``job send_email done`` log lines)."""
    return {
        worker.name: [
            int(record["job_id"])
            for record in worker.log_records()
            if record.get("job") == SEND_EMAIL.name and record.get("outcome") == "done"
            if int(record.get("job_id", 0)) in job_ids
        ]
        for worker in scale.cluster.workers
    }


async def _each_job_runs_exactly_once_across_two_workers(scale_out: ScaleOut) -> None:
    batch = uuid.uuid4().hex[:8]
    recipients = [f"scale-{batch}-{number}@example.com" for number in range(40)]
    job_ids: set[int] = set()
    async with scale_out.db.transaction() as tx:
        for address in recipients:
            context = {"recipient_name": address, "verify_url": f"https://example.com/{address}", "expires_in": 3600}
            job_id = await SEND_EMAIL.enqueue(
                tx, EmailJob(template="email_verification", to=[address], context=context)
            )
            assert job_id is not None
            job_ids.add(job_id)

    async with asyncio.timeout(60):
        while True:
            async with scale_out.db.connection() as conn:
                left = await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE id = ANY($1::bigint[])", list(job_ids))
            if left == 0:
                break
            await asyncio.sleep(0.2)
    await asyncio.sleep(0.5)  # let the last runs' log lines reach the files

    runs = _job_runs(scale_out, job_ids)
    ran = collections.Counter(job_id for ids in runs.values() for job_id in ids)
    assert ran == collections.Counter(job_ids), runs
    assert all(len(ids) > 0 for ids in runs.values()), {name: len(ids) for name, ids in runs.items()}
    delivered = collections.Counter(to for mail in scale_out.smtp.received for to in mail.envelope_to)
    assert [delivered[address] for address in recipients] == [1] * len(recipients)


async def _rate_limits_count_requests_on_both_api_processes(scale_out: ScaleOut) -> None:
    """One caller (the load balancer's X-Forwarded-For) alternating between the processes gets
    AUTH_LIMIT answers in all, then 429 from both; another caller is unaffected."""
    caller = {"X-Forwarded-For": "198.51.100.23"}
    async with _clients(scale_out) as (a, b):
        statuses = []
        for number in range(AUTH_LIMIT + 4):
            http = (a, b)[number % 2]
            statuses.append((await http.post("/v1/auth/refresh", json={}, headers=caller)).status_code)
        refused = [await http.post("/v1/auth/refresh", json={}, headers=caller) for http in (a, b)]
        other = await b.post("/v1/auth/refresh", json={}, headers={"X-Forwarded-For": "198.51.100.24"})
    assert 429 not in statuses[:AUTH_LIMIT], statuses
    assert statuses[AUTH_LIMIT:] == [429] * 4, statuses
    for response in refused:
        assert response.status_code == 429
        assert response.json()["code"] == "rate_limited"
        assert 1 <= int(response.headers["retry-after"]) <= 60
    assert other.status_code != 429


async def _sign_in_throttling_counts_failures_on_both_api_processes(scale_out: ScaleOut) -> None:
    """LOGIN_MAX_FAILURES (5) wrong passwords, alternating between the processes: then the next attempt
    must wait on either, even with the right password."""
    caller = {"X-Forwarded-For": "198.51.100.31"}
    async with _clients(scale_out) as (a, b):
        user_id, _ = await http_user(a, scale_out.db)
        async with scale_out.db.connection() as conn:
            email = await conn.fetchval("SELECT email FROM users WHERE id = $1", user_id)
        wrong = {"email": email, "password": "not the password"}
        failures = [
            (await (a, b)[n % 2].post("/v1/auth/login", json=wrong, headers=caller)).status_code for n in range(5)
        ]
        right = {"email": email, "password": PASSWORD}
        waits = [await http.post("/v1/auth/login", json=right, headers=caller) for http in (a, b)]
    assert failures == [401] * 5
    for response in waits:
        assert response.status_code == 429, response.text
        assert response.json()["code"] == "too_many_login_attempts"


async def _the_stream_cap_counts_streams_on_both_api_processes(scale_out: ScaleOut) -> None:
    async with _clients(scale_out) as (a, b):
        _, headers = await http_user(a, scale_out.db)
        urls = [str(a.base_url), str(b.base_url)]
        async with AsyncExitStack() as streams:
            held = [
                await streams.enter_async_context(open_stream(urls[number % 2], await _ticket(a, headers)))
                for number in range(MAX_STREAMS)
            ]
            assert len(held) == MAX_STREAMS
            for url in urls:
                assert await stream_status(url, {"ticket": await _ticket(b, headers)}) == (429, "too_many_streams")
        # Closed on both processes: the places come back (once each process has seen its client leave).
        async with asyncio.timeout(10):
            while await stream_status(urls[1], {"ticket": await _ticket(a, headers)}) != (200, ""):
                await asyncio.sleep(0.1)


async def _room_on(node: LiveKitServer, room: str) -> tuple[list[str], list[str]]:
    """(rooms, participant identities) as ``node``'s RoomService reports them for ``room``."""
    service = livekit_api.LiveKitAPI(node.api_url, node.key, node.secret)
    try:
        rooms = await service.room.list_rooms(livekit_api.ListRoomsRequest(names=[room]))
        listed = await service.room.list_participants(livekit_api.ListParticipantsRequest(room=room))
    finally:
        await service.aclose()
    return [found.sid for found in rooms.rooms], sorted(person.identity for person in listed.participants)


async def _participants_sent_to_different_livekit_nodes_meet_in_one_room(scale_out: ScaleOut) -> None:
    nodes = scale_out.cluster.livekit
    async with _clients(scale_out) as (a, b):
        call = await book_call(a, scale_out.db, scale_out.relay, dt.datetime.now(dt.UTC))
        client_join = await a.post(f"/v1/calls/{call.booking_id}/token", headers=call.client_headers)
        expert_join = await b.post(f"/v1/calls/{call.booking_id}/token", headers=call.expert_headers)
    joins: list[dict[str, Any]] = [client_join.json(), expert_join.json()]
    assert [response.status_code for response in (client_join, expert_join)] == [200, 200], joins
    assert [join["url"] for join in joins] == [nodes[0].url, nodes[1].url]
    assert joins[0]["room"] == joins[1]["room"] == call.room

    client = await Participant.join(joins[0]["url"], joins[0]["token"])
    try:
        expert = await Participant.join(joins[1]["url"], joins[1]["token"])
        try:
            await client.publish_camera()
            frame = await expert.first_frame_from(str(call.client_id))
            assert frame.width > 0
            seen = [await _room_on(node, call.room) for node in nodes]
        finally:
            await expert.leave()
    finally:
        await client.leave()
    identities = sorted([str(call.client_id), str(call.expert_id)])
    [(rooms_a, people_a), (rooms_b, people_b)] = seen
    assert len(rooms_a) == 1
    assert rooms_a == rooms_b
    assert people_a == people_b == identities


async def test_two_api_processes_two_workers_and_two_livekit_nodes_act_as_one(scale_out: ScaleOut) -> None:
    """Every scenario above against one cluster, in one test: starting the processes costs more than
    all the scenarios together, and pytest-xdist could otherwise start one cluster per worker."""
    await _a_booking_request_made_through_one_api_process_reaches_a_stream_on_the_other(scale_out)
    await _each_job_runs_exactly_once_across_two_workers(scale_out)
    await _rate_limits_count_requests_on_both_api_processes(scale_out)
    await _sign_in_throttling_counts_failures_on_both_api_processes(scale_out)
    await _the_stream_cap_counts_streams_on_both_api_processes(scale_out)
    await _participants_sent_to_different_livekit_nodes_meet_in_one_room(scale_out)
