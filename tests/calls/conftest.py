"""The app with fake video rooms but real LiveKit token signing and webhook verification."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Container, Integrations
from procus.config import Settings
from procus.integrations.livekit import LiveKitTokens, LiveKitWebhookVerifier
from procus.integrations.paystack import PaystackClient
from procus.services.calls import CallService
from procus.store.db import Database
from tests.integrations.conftest import livekit_server
from tests.support.calls import (
    VIDEO_KEY,
    VIDEO_SECRET,
    FakeVideoRooms,
    ReadyCall,
    book_call,
    livekit_event,
    sign_webhook,
)
from tests.support.fake_paystack import FakePaystackServer
from tests.support.fakes import FakeClock, FakeGoogleIdentity, RecordingMailSender
from tests.support.payments import PaystackRelay

Client = AsyncTestClient[Litestar]

__all__ = ["Calls", "livekit_server", "paystack_client", "video_integrations"]


@pytest.fixture
def video_rooms() -> FakeVideoRooms:
    return FakeVideoRooms()


@pytest.fixture(scope="session")
def call_settings(settings_factory: Any) -> Settings:
    """Access tokens that outlive the days these tests move the clock forward; experts are paid as the call
    ends (no dispute window: tests/trust/test_disputes.py covers the window)."""
    settings: Settings = settings_factory(access_token_ttl_seconds=7 * 24 * 3600, dispute_window_seconds=0)
    return settings


@pytest.fixture
async def app(call_settings: Settings, db: Database, integrations: Integrations) -> Litestar:
    return create_app(call_settings, integrations)


def paystack_client(fake: FakePaystackServer) -> PaystackClient:
    return PaystackClient(fake.secret_key, fake.base_url, backoff_base=0.01, backoff_max=0.02)


def video_integrations(
    clock: FakeClock, fake_paystack: FakePaystackServer, rooms: Any, *, google: FakeGoogleIdentity | None = None
) -> Integrations:
    return Integrations(
        clock=clock,
        google=google or FakeGoogleIdentity(),
        mail=RecordingMailSender(),
        payments=paystack_client(fake_paystack),
        video_rooms=rooms,
        video_tokens=LiveKitTokens(VIDEO_KEY, VIDEO_SECRET),
        video_webhooks=LiveKitWebhookVerifier(VIDEO_KEY, VIDEO_SECRET),
    )


@pytest.fixture
async def integrations(
    clock: FakeClock, fake_paystack: FakePaystackServer, video_rooms: FakeVideoRooms
) -> AsyncIterator[Integrations]:
    io = video_integrations(clock, fake_paystack, video_rooms)
    yield io
    await io.payments.aclose()  # type: ignore[attr-defined]
    await fake_paystack.clear_faults()


class Calls:
    """The app under test, its clock and video rooms: make bookings ready for a call and act on them."""

    def __init__(
        self,
        client: Client,
        db: Database,
        clock: FakeClock,
        relay: PaystackRelay,
        rooms: FakeVideoRooms,
        worker: Container,
    ) -> None:
        self.client = client
        self.db = db
        self.clock = clock
        self.relay = relay
        self.rooms = rooms
        self.worker = worker

    @property
    def service(self) -> CallService:
        """The call service as the worker's jobs get it (the app's own runs on the test client's loop)."""
        return self.worker.calls

    async def ready(self, **options: Any) -> ReadyCall:
        return await book_call(self.client, self.db, self.relay, self.clock.now(), **options)

    def at(self, instant: dt.datetime) -> None:
        """Move the clock; register everyone first (an access token issued in the future is refused)."""
        self.clock.current = instant

    async def token(self, call: ReadyCall, headers: dict[str, str]) -> Any:
        return await self.client.post(f"/v1/calls/{call.booking_id}/token", headers=headers)

    async def webhook(self, body: bytes, authorization: str | None = None) -> Any:
        headers = {"Content-Type": "application/webhook+json"}
        headers["Authorization"] = authorization if authorization is not None else sign_webhook(body)
        return await self.client.post("/v1/webhooks/livekit", content=body, headers=headers)

    async def arrive(self, call: ReadyCall, who: uuid.UUID, minutes: float, *, session: str | None = None) -> None:
        """``who`` joins ``minutes`` after the scheduled start (the participant_joined webhook)."""
        at = call.starts_at + dt.timedelta(minutes=minutes)
        body = livekit_event("participant_joined", call.room, at, identity=who, session=session or f"PA_{who.hex[:8]}")
        response = await self.webhook(body)
        assert response.json() == {"outcome": "recorded"}, response.text

    async def meet(self, call: ReadyCall) -> None:
        """Both participants join at the scheduled start: the call is under way."""
        self.at(call.starts_at)
        await self.arrive(call, call.client_id, 0)
        await self.arrive(call, call.expert_id, 0)

    async def leave(
        self, call: ReadyCall, who: uuid.UUID, minutes: float, *, joined: float, session: str | None = None
    ) -> None:
        at = call.starts_at + dt.timedelta(minutes=minutes)
        body = livekit_event(
            "participant_left",
            call.room,
            at,
            identity=who,
            session=session or f"PA_{who.hex[:8]}",
            joined_at=call.starts_at + dt.timedelta(minutes=joined),
        )
        response = await self.webhook(body)
        assert response.json() == {"outcome": "recorded"}, response.text

    async def get(self, call: ReadyCall, headers: dict[str, str] | None = None) -> dict[str, Any]:
        response = await self.client.get(f"/v1/calls/{call.booking_id}", headers=headers or call.client_headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def payment_status(self, call: ReadyCall) -> str:
        async with self.db.connection() as conn:
            status: str = await conn.fetchval(
                "SELECT status::text FROM payments WHERE booking_id = $1", call.booking_id
            )
        return status

    async def booking_events(self, call: ReadyCall) -> list[tuple[str, str, str | None]]:
        async with self.db.connection() as conn:
            rows = await conn.fetch(
                "SELECT action, actor_role, to_status FROM booking_events WHERE booking_id = $1 ORDER BY id",
                call.booking_id,
            )
        return [(row["action"], row["actor_role"], row["to_status"]) for row in rows]

    async def attendance_rows(self, call: ReadyCall) -> int:
        async with self.db.connection() as conn:
            count: int = await conn.fetchval(
                "SELECT count(*) FROM attendance_events a JOIN bookings b ON b.call_id = a.call_id WHERE b.id = $1",
                call.booking_id,
            )
        return count

    async def refunds(self, call: ReadyCall) -> list[int]:
        async with self.db.connection() as conn:
            rows = await conn.fetch(
                "SELECT r.amount FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.booking_id = $1",
                call.booking_id,
            )
        return [row["amount"] for row in rows]

    async def close_room_jobs(self) -> list[str]:
        async with self.db.connection() as conn:
            rows = await conn.fetch("SELECT payload FROM pgqueuer WHERE entrypoint = 'calls.close_room' ORDER BY id")
        return [bytes(row["payload"]).decode() for row in rows]


@pytest.fixture
async def worker(
    call_settings: Settings,
    db: Database,
    clock: FakeClock,
    fake_paystack: FakePaystackServer,
    video_rooms: FakeVideoRooms,
) -> AsyncIterator[Container]:
    """What ``procus worker`` builds, with the same clock and video rooms as the app."""
    container = await Container.create(call_settings, video_integrations(clock, fake_paystack, video_rooms))
    yield container
    await container.close()


@pytest.fixture
def calls(
    client: Client,
    db: Database,
    clock: FakeClock,
    paystack_relay: PaystackRelay,
    video_rooms: FakeVideoRooms,
    worker: Container,
) -> Calls:
    return Calls(client, db, clock, paystack_relay, video_rooms, worker)
