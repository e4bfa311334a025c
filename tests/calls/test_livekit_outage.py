"""The real livekit-server stopped and started again under a running app: while it is down a join
token is 503 ``video_unavailable`` and changes nothing, and the no-show decision waits; once it is
back the same app hands out tokens again and the sweep catches up by itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Container, Integrations
from procus.config import Settings
from procus.store.db import Database
from tests.calls.conftest import paystack_client
from tests.support.calls import book_call
from tests.support.fake_paystack import FakePaystackServer
from tests.support.fakes import FakeClock, FakeGoogleIdentity, RecordingMailSender
from tests.support.livekit_server import LiveKitServer, run_livekit_server
from tests.support.payments import PaystackRelay

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(180)]

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def own_livekit(tmp_path: Path) -> Iterator[list[LiveKitServer]]:
    """The running server, in a list so a test can replace it with the same server started again."""
    with run_livekit_server(tmp_path / "livekit") as server:
        running = [server]
        yield running
        running[-1].stop()


@pytest.fixture
def live_settings(call_settings: Settings, own_livekit: list[LiveKitServer]) -> Settings:
    server = own_livekit[0]
    return msgspec.structs.replace(
        call_settings,
        livekit_url=server.url,
        livekit_api_url=server.api_url,
        livekit_api_key=server.key,
        livekit_api_secret=server.secret,
    )


@pytest.fixture
def real_video(clock: FakeClock, fake_paystack: FakePaystackServer) -> Integrations:
    """Our real LiveKit integration (built from the settings), the rest as in the other call tests."""
    return Integrations(
        clock=clock, google=FakeGoogleIdentity(), mail=RecordingMailSender(), payments=paystack_client(fake_paystack)
    )


@pytest.fixture
async def worker(live_settings: Settings, real_video: Integrations, db: Database) -> AsyncIterator[Container]:
    container = await Container.create(live_settings, real_video)
    yield container
    await container.close()


async def test_livekit_down_then_back(
    live_settings: Settings,
    real_video: Integrations,
    own_livekit: list[LiveKitServer],
    worker: Container,
    db: Database,
    clock: FakeClock,
    paystack_relay: PaystackRelay,
) -> None:
    async with AsyncTestClient(create_app(live_settings, real_video)) as client:
        call = await book_call(client, db, paystack_relay, clock.now())
        token_path = f"/v1/calls/{call.booking_id}/token"
        details_path = f"/v1/calls/{call.booking_id}"
        clock.current = call.starts_at
        before = (await client.get(details_path, headers=call.client_headers)).json()

        own_livekit[-1].stop()
        down = await client.post(token_path, headers=call.client_headers)
        assert down.status_code == 503, down.text
        assert down.headers["content-type"] == "application/problem+json"
        assert down.json()["code"] == "video_unavailable"
        assert (await client.get(details_path, headers=call.client_headers)).json() == before

        own_livekit.append(own_livekit[-1].start_again())
        back = await client.post(token_path, headers=call.client_headers)
        assert back.status_code == 200, back.text

        own_livekit[-1].stop()
        clock.current = call.starts_at + 16 * MINUTE  # past the no-show time, inside the join window
        assert await worker.calls.no_shows.decide_no_shows() == 0, "no decision without the room"
        waiting = (await client.get(details_path, headers=call.client_headers)).json()
        assert waiting["booking_status"] == "confirmed"

        own_livekit.append(own_livekit[-1].start_again())
        assert await worker.calls.no_shows.decide_no_shows() == 1
        decided = (await client.get(details_path, headers=call.client_headers)).json()
        assert decided["booking_status"] == "no_show_both"
        assert await worker.calls.no_shows.decide_no_shows() == 0, "decided once"
