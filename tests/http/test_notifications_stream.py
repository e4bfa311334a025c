"""GET /v1/notifications/stream: single-use tickets, live delivery across app instances, resumption.

The stream is served by a second app instance under uvicorn on loopback ("instance B"); accounts,
tickets and notifications go through the ``client`` fixture's app ("instance A"). Both share the
database and nothing else, like two API processes.

Each app runs on its own thread and event loop, and its asyncpg pool belongs to that loop: tests
reach an app over HTTP or through :meth:`_Instance.run` on its loop, and write to the database
through the ``db`` fixture, the test loop's own pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Container, Integrations
from procus.config import Settings
from procus.domain.accounts import Role
from procus.domain.admin_audit import AdminActor
from procus.services.admin.users import AdminUserService
from procus.store.db import Database
from tests.support.accounts import PASSWORD, bearer, register
from tests.support.bookings import principal
from tests.support.experts import insert_admin
from tests.support.fakes import FakeClock
from tests.support.http_server import serve_in_thread
from tests.support.notifications import SseReader, open_stream, send_notification, stream_status

Client = AsyncTestClient[Litestar]
T = TypeVar("T")


@dataclass(frozen=True)
class _Instance:
    url: str
    app: Litestar
    loop: asyncio.AbstractEventLoop

    async def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Await ``coroutine`` on the instance's own loop, where its pool lives."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, self.loop))

    async def open_streams(self) -> int:
        async def count() -> int:
            return int(self.app.state.container.notification_stream.open_streams)

        return await self.run(count())


@contextmanager
def _serve(app: Litestar) -> Iterator[_Instance]:
    started: list[asyncio.AbstractEventLoop] = []
    app.on_startup.append(lambda: started.append(asyncio.get_running_loop()))
    with serve_in_thread(app) as url:
        [loop] = started
        yield _Instance(url, app, loop)


@pytest.fixture
def instance_b(settings_factory: Any, integrations: Integrations, db: Database) -> Iterator[_Instance]:
    with _serve(create_app(settings_factory(sse_heartbeat_seconds=1), integrations)) as instance:
        yield instance


async def _ticket(client: Client, tokens: dict[str, Any]) -> str:
    response = await client.post("/v1/notifications/stream-ticket", headers=bearer(tokens))
    assert response.status_code == 201, response.text
    ticket: str = response.json()["ticket"]
    return ticket


async def test_a_ticket_opens_one_stream_only(client: Client, instance_b: _Instance) -> None:
    tokens = await register(client)
    ticket = await _ticket(client, tokens)
    async with open_stream(instance_b.url, ticket):
        pass
    assert await stream_status(instance_b.url, {"ticket": ticket}) == (401, "stream_ticket_invalid")
    assert await stream_status(instance_b.url, {}) == (401, "stream_ticket_required")
    assert await stream_status(instance_b.url, {"ticket": "made-up"}) == (401, "stream_ticket_invalid")


async def test_a_ticket_expires_after_a_minute(client: Client, clock: FakeClock, instance_b: _Instance) -> None:
    tokens = await register(client)
    fresh, stale = await _ticket(client, tokens), await _ticket(client, tokens)
    clock.advance(seconds=59)
    async with open_stream(instance_b.url, fresh):
        pass
    clock.advance(seconds=2)
    assert await stream_status(instance_b.url, {"ticket": stale}) == (401, "stream_ticket_invalid")


async def test_a_notification_made_on_one_instance_reaches_a_stream_on_another(
    settings: Settings, integrations: Integrations, db: Database, clock: FakeClock, instance_b: _Instance
) -> None:
    """Instance A (its own thread, loop and pool) issues the ticket and creates the notification."""
    with _serve(create_app(settings, integrations)) as instance_a:
        async with httpx.AsyncClient(base_url=instance_a.url, timeout=10.0) as http_a:
            tokens = await register(http_a)
            other = await register(http_a)
            ticket = (await http_a.post("/v1/notifications/stream-ticket", headers=bearer(tokens))).json()["ticket"]
        db_a = instance_a.app.state.container.db
        async with open_stream(instance_b.url, ticket) as reader:
            await instance_a.run(
                send_notification(db_a, uuid.UUID(other["user"]["id"]), clock.now(), title="Not yours")
            )
            created = await instance_a.run(
                send_notification(db_a, uuid.UUID(tokens["user"]["id"]), clock.now(), title="Booking confirmed")
            )
            assert created is not None
            event = await reader.next_notification()
    assert event.id == str(created.seq)
    body = event.json()
    assert body["id"] == str(created.id)
    assert body["title"] == "Booking confirmed"
    assert body["seq"] == created.seq


async def test_last_event_id_resumes_without_gaps_or_duplicates(
    client: Client, db: Database, clock: FakeClock, instance_b: _Instance
) -> None:
    tokens = await register(client)
    user_id = uuid.UUID(tokens["user"]["id"])
    seen: list[int] = []
    async with open_stream(instance_b.url, await _ticket(client, tokens)) as reader:
        for number in (1, 2):
            await send_notification(db, user_id, clock.now(), title=f"N{number}")
            seen.append(int((await reader.next_notification()).id or 0))
        assert await instance_b.open_streams() == 1
    await _until_no_open_streams(instance_b)
    for number in (3, 4):
        await send_notification(db, user_id, clock.now(), title=f"N{number}")

    async with open_stream(instance_b.url, await _ticket(client, tokens), last_event_id=seen[-1]) as reader:
        for _ in range(2):
            seen.append(int((await reader.next_notification()).id or 0))
        await send_notification(db, user_id, clock.now(), title="N5")
        live = await reader.next_notification()
        seen.append(int(live.id or 0))
    assert seen == [1, 2, 3, 4, 5]
    assert live.json()["title"] == "N5"

    ticket = await _ticket(client, tokens)
    async with (
        httpx.AsyncClient(base_url=instance_b.url, timeout=10.0) as http,
        http.stream("GET", "/v1/notifications/stream", params={"ticket": ticket, "last_event_id": "3"}) as response,
    ):
        reader = SseReader(response)
        await reader.next()
        assert [int((await reader.next_notification()).id or 0) for _ in range(2)] == [4, 5]


async def _until_no_open_streams(instance: _Instance) -> None:
    """A closed connection ends its stream on the server (no subscriber left behind)."""
    for _ in range(100):
        if await instance.open_streams() == 0:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the server kept a stream open after the client left")


async def test_suspending_a_user_ends_their_open_stream_at_once(
    client: Client, db: Database, settings: Settings, integrations: Integrations, instance_b: _Instance
) -> None:
    """The ticket was spent while the account was active; the stream must not outlive the account.
    Instance B's heartbeat is 1 s: the stream must end well before a heartbeat would re-check."""
    tokens, bystander = await register(client), await register(client)
    user_id = uuid.UUID(tokens["user"]["id"])
    container = await Container.create(settings, integrations)
    admin_users = container.service(AdminUserService)
    admin = AdminActor(principal=principal(await insert_admin(db), Role.ADMIN))
    async with (
        open_stream(instance_b.url, await _ticket(client, tokens)) as suspended,
        open_stream(instance_b.url, await _ticket(client, bystander)) as unaffected,
    ):
        assert await instance_b.open_streams() == 2
        started = asyncio.get_running_loop().time()
        await admin_users.set_suspended(admin, user_id, True)
        with pytest.raises(EOFError):
            await suspended.next_notification(timeout=5)
        assert asyncio.get_running_loop().time() - started < 1
        assert (await unaffected.next(timeout=3)).comments == ["keep-alive"]
        assert await instance_b.open_streams() == 1
    await container.close()
    refused = await client.post("/v1/notifications/stream-ticket", headers=bearer(tokens))
    assert refused.json()["code"] == "account_suspended"


async def test_an_idle_stream_sends_keep_alives(client: Client, instance_b: _Instance) -> None:
    tokens = await register(client)
    async with open_stream(instance_b.url, await _ticket(client, tokens)) as reader:
        event = await reader.next(timeout=3)
    assert event.comments == ["keep-alive"]
    assert event.event is None


async def test_a_bad_last_event_id_is_refused(client: Client, instance_b: _Instance) -> None:
    tokens = await register(client)
    status = await stream_status(instance_b.url, {"ticket": await _ticket(client, tokens), "last_event_id": "abc"})
    assert status == (422, "invalid_last_event_id")


async def test_signing_out_everywhere_ends_the_open_stream_at_once(client: Client, instance_b: _Instance) -> None:
    """The stream belongs to the session whose ticket opened it, not just to the account."""
    tokens = await register(client)
    async with open_stream(instance_b.url, await _ticket(client, tokens)) as reader:
        started = asyncio.get_running_loop().time()
        assert (await client.post("/v1/auth/logout-all", headers=bearer(tokens))).status_code == 204
        with pytest.raises(EOFError):
            await reader.next_notification(timeout=5)
        assert asyncio.get_running_loop().time() - started < 1


async def test_signing_out_one_session_ends_its_stream_and_not_the_others(
    client: Client, instance_b: _Instance
) -> None:
    first = await register(client)
    login = await client.post("/v1/auth/login", json={"email": first["user"]["email"], "password": PASSWORD})
    second = login.json()
    async with (
        open_stream(instance_b.url, await _ticket(client, first)) as signed_out,
        open_stream(instance_b.url, await _ticket(client, second)) as still_in,
    ):
        assert (await client.post("/v1/auth/logout", json={}, headers=bearer(first))).status_code == 204
        with pytest.raises(EOFError):
            await signed_out.next_notification(timeout=5)
        assert (await still_in.next(timeout=3)).comments == ["keep-alive"]


async def test_a_ticket_from_a_signed_out_session_opens_nothing(client: Client, instance_b: _Instance) -> None:
    tokens = await register(client)
    ticket = await _ticket(client, tokens)
    assert (await client.post("/v1/auth/logout-all", headers=bearer(tokens))).status_code == 204
    assert await stream_status(instance_b.url, {"ticket": ticket}) == (401, "stream_ticket_invalid")


async def test_one_user_may_hold_at_most_ten_streams(client: Client, instance_b: _Instance) -> None:
    tokens = await register(client)
    async with contextlib.AsyncExitStack() as streams:
        for _ in range(10):
            await streams.enter_async_context(open_stream(instance_b.url, await _ticket(client, tokens)))
        refused = await stream_status(instance_b.url, {"ticket": await _ticket(client, tokens)})
        assert refused == (429, "too_many_streams")
    await _until_no_open_streams(instance_b)
    async with open_stream(instance_b.url, await _ticket(client, tokens)):
        pass  # closing streams frees their places


async def test_the_cap_counts_streams_on_every_instance(
    client: Client, settings_factory: Any, integrations: Integrations, instance_b: _Instance
) -> None:
    """Like two API processes: places taken on either count on both, and a place freed on one can be
    taken on the other."""
    with _serve(create_app(settings_factory(sse_heartbeat_seconds=1), integrations)) as instance_c:
        tokens = await register(client)
        async with contextlib.AsyncExitStack() as streams:
            for index in range(10):
                instance = (instance_b, instance_c)[index % 2]
                await streams.enter_async_context(open_stream(instance.url, await _ticket(client, tokens)))
            for instance in (instance_b, instance_c):
                refused = await stream_status(instance.url, {"ticket": await _ticket(client, tokens)})
                assert refused == (429, "too_many_streams")
            opened_on_b = await instance_b.open_streams()
            assert (opened_on_b, await instance_c.open_streams()) == (5, 5)
        await _until_no_open_streams(instance_b)
        async with open_stream(instance_c.url, await _ticket(client, tokens)):
            pass


async def test_a_notification_committed_between_the_ticket_and_the_stream_is_delivered(
    client: Client, db: Database, clock: FakeClock, instance_b: _Instance
) -> None:
    """The page mints a ticket, then opens its EventSource; a webhook's notification can commit in
    between. Starting the stream at "the newest notification when it opens" lost it for good."""
    tokens = await register(client)
    user_id = uuid.UUID(tokens["user"]["id"])
    await send_notification(db, user_id, clock.now(), title="Before the ticket")
    ticket = await _ticket(client, tokens)
    between = await send_notification(db, user_id, clock.now(), title="New booking request")
    assert between is not None
    async with open_stream(instance_b.url, ticket) as reader:
        event = await reader.next_notification(timeout=3)
    assert event.id == str(between.seq)
    assert event.json()["title"] == "New booking request"


async def test_the_inbox_names_the_point_a_stream_resumes_from(
    client: Client, db: Database, clock: FakeClock, instance_b: _Instance
) -> None:
    """The page read its notifications, then a notification committed before its stream even had a
    ticket: opening with the inbox's ``last_seq`` delivers it, and nothing the page already showed."""
    tokens = await register(client)
    user_id = uuid.UUID(tokens["user"]["id"])
    empty = await client.get("/v1/notifications", headers=bearer(tokens))
    assert empty.json()["last_seq"] == 0
    shown = await send_notification(db, user_id, clock.now(), title="Shown on the page")
    assert shown is not None
    page = (await client.get("/v1/notifications", headers=bearer(tokens))).json()
    assert page["last_seq"] == shown.seq
    missed = await send_notification(db, user_id, clock.now(), title="New booking request")
    assert missed is not None
    async with open_stream(instance_b.url, await _ticket(client, tokens), last_event_id=page["last_seq"]) as reader:
        event = await reader.next_notification(timeout=3)
    assert event.id == str(missed.seq)
