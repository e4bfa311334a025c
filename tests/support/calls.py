"""Calls in tests: a fake of the VideoRooms port, signed LiveKit-style webhooks, and bookings ready for a call.

A ready booking is made the way people make it: requested over HTTP, paid at the fake Paystack
(its ``charge.success`` webhook delivered to the app) and accepted by the expert.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import uuid
from typing import Any

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient
from livekit.api import AccessToken

from procus.domain.errors import ServiceUnavailable
from procus.domain.video import ParticipantInfo
from procus.services.ports.video import VideoRooms
from procus.store.db import Database
from tests.support.bookings import booking_body, http_expert, http_user, slot_start
from tests.support.payments import PaystackRelay

__all__ = [
    "VIDEO_KEY",
    "VIDEO_SECRET",
    "FakeVideoRooms",
    "ReadyCall",
    "book_call",
    "livekit_event",
    "sign_webhook",
]

VIDEO_KEY = "calls-test-key"
VIDEO_SECRET = "calls-test-secret-of-at-least-32-characters"
Client = AsyncTestClient[Litestar]


class FakeVideoRooms:
    """Rooms in memory. ``down`` makes every call fail as the real one does when LiveKit is unreachable;
    ``participants`` is what ``list_participants`` answers per room."""

    def __init__(self) -> None:
        self.down = False
        self.rooms: dict[str, tuple[int, int]] = {}
        self.deleted: list[str] = []
        self.participants: dict[str, list[ParticipantInfo]] = {}

    def _check(self) -> None:
        if self.down:
            raise ServiceUnavailable("video_unavailable", "fake video server is down")

    async def ensure_room(self, name: str, max_participants: int, empty_timeout_s: int) -> None:
        self._check()
        self.rooms[name] = (max_participants, empty_timeout_s)

    async def delete_room(self, name: str) -> None:
        self._check()
        self.rooms.pop(name, None)
        self.participants.pop(name, None)
        self.deleted.append(name)

    async def list_participants(self, room: str) -> list[ParticipantInfo]:
        self._check()
        return list(self.participants.get(room, []))


_rooms: VideoRooms = FakeVideoRooms()


def sign_webhook(body: bytes, *, key: str = VIDEO_KEY, secret: str = VIDEO_SECRET) -> str:
    """The Authorization header LiveKit sends: a JWT whose sha256 claim is the body's digest."""
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    return AccessToken(key, secret).with_sha256(digest).with_ttl(dt.timedelta(minutes=5)).to_jwt()


def livekit_event(
    event: str,
    room: str,
    at: dt.datetime,
    *,
    identity: uuid.UUID | str | None = None,
    session: str | None = None,
    joined_at: dt.datetime | None = None,
    event_id: str | None = None,
) -> bytes:
    """A webhook body shaped as LiveKit sends it (protobuf JSON, camelCase)."""
    payload: dict[str, Any] = {
        "event": event,
        "id": event_id or f"EV_{uuid.uuid4().hex[:12]}",
        "createdAt": str(int(at.timestamp())),
        "room": {"sid": "RM_test", "name": room},
    }
    if identity is not None:
        joined = joined_at or at
        payload["participant"] = {
            "sid": session or "PA_test",
            "identity": str(identity),
            "name": "Someone",
            "joinedAt": str(int(joined.timestamp())),
            "joinedAtMs": str(int(joined.timestamp() * 1000)),
        }
    return json.dumps(payload).encode()


class ReadyCall(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    room: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    client_id: uuid.UUID
    expert_id: uuid.UUID
    client_headers: dict[str, str]
    expert_headers: dict[str, str]


async def book_call(
    client: Client,
    db: Database,
    relay: PaystackRelay,
    now: dt.datetime,
    *,
    paid: bool = True,
    accepted: bool = True,
    duration: int = 60,
) -> ReadyCall:
    """A booking two days after ``now``: paid and accepted (confirmed) unless told otherwise."""
    expert, expert_headers = await http_expert(client, db, duration=duration)
    client_id, client_headers = await http_user(client, db)
    start = slot_start(now, days=2)
    created = await client.post(
        "/v1/bookings",
        json=booking_body(expert, start),
        headers=client_headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    booking_id = uuid.UUID(body["booking"]["id"])
    if paid:
        delivered = await relay.post(client, await relay.pay(body["checkout"]["reference"]))
        assert delivered.json() == {"status": "held"}, delivered.text
    if accepted:
        response = await client.post(f"/v1/bookings/{booking_id}/accept", headers=expert_headers)
        assert response.status_code == 200, response.text
    return ReadyCall(
        booking_id=booking_id,
        room=f"booking-{booking_id}",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=duration),
        client_id=client_id,
        expert_id=expert.id,
        client_headers=client_headers,
        expert_headers=expert_headers,
    )
