"""Our LiveKit integration against the real livekit-server on loopback."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest
from livekit import rtc

from procus.domain.errors import AuthenticationFailed, ServiceUnavailable
from procus.integrations.livekit import LiveKitRooms, LiveKitTokens, LiveKitWebhookVerifier
from procus.services.ports.video import VideoRooms, VideoTokens, VideoWebhookVerifier
from tests.support.livekit_participant import Participant
from tests.support.livekit_server import LiveKitHarness, ReceivedWebhook

pytestmark = [pytest.mark.livekit, pytest.mark.timeout(120)]

TTL = timedelta(minutes=10)


@pytest.fixture
async def rooms(livekit_server: LiveKitHarness) -> AsyncIterator[LiveKitRooms]:
    rooms = LiveKitRooms(livekit_server.api_url, livekit_server.key, livekit_server.secret, timeout_s=5)
    yield rooms
    await rooms.aclose()


@pytest.fixture
def tokens(livekit_server: LiveKitHarness) -> VideoTokens:
    return LiveKitTokens(livekit_server.key, livekit_server.secret)


@pytest.fixture
def verifier(livekit_server: LiveKitHarness) -> VideoWebhookVerifier:
    return LiveKitWebhookVerifier(livekit_server.key, livekit_server.secret)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def event_matcher(event: str, room: str, identity: str | None = None) -> Callable[[ReceivedWebhook], bool]:
    def matches(hook: ReceivedWebhook) -> bool:
        data = hook.json()
        return (
            data.get("event") == event
            and data.get("room", {}).get("name") == room
            and (identity is None or data.get("participant", {}).get("identity") == identity)
        )

    return matches


async def test_a_two_person_call_end_to_end(
    livekit_server: LiveKitHarness, rooms: VideoRooms, tokens: VideoTokens, verifier: VideoWebhookVerifier
) -> None:
    room = unique("booking")
    alice_id, bob_id = unique("alice"), unique("bob")
    await rooms.ensure_room(room, 2, 60)
    await rooms.ensure_room(room, 2, 60)  # idempotent

    alice = await Participant.join(livekit_server.url, tokens.issue(room, alice_id, "Alice", TTL))
    bob = await Participant.join(livekit_server.url, tokens.issue(room, bob_id, "Bob", TTL))
    try:
        assert alice.room.name == bob.room.name == room
        await alice.publish_camera()
        await bob.publish_camera()

        # each subscribes to the other's camera, and real frames arrive over loopback
        assert (await alice.track_from(bob_id)).kind == rtc.TrackKind.KIND_VIDEO
        assert (await bob.track_from(alice_id)).kind == rtc.TrackKind.KIND_VIDEO
        assert (await alice.first_frame_from(bob_id)).width > 0
        assert (await bob.first_frame_from(alice_id)).width > 0

        listed = await rooms.list_participants(room)
        assert {(p.identity, p.name) for p in listed} == {(alice_id, "Alice"), (bob_id, "Bob")}
        assert all(abs(datetime.now(UTC) - p.joined_at) < timedelta(minutes=1) for p in listed)

        # signed participant_joined webhooks, which our verifier accepts and a tampered copy fails
        for identity in (alice_id, bob_id):
            hook = await livekit_server.webhooks.wait_for(event_matcher("participant_joined", room, identity))
            assert hook.content_type == "application/webhook+json"
            event = verifier.verify(hook.body, hook.authorization)
            assert (event.event, event.room, event.participant_identity) == ("participant_joined", room, identity)
            assert event.id
            assert abs(datetime.now(UTC) - event.created_at) < timedelta(minutes=1)
            with pytest.raises(AuthenticationFailed):
                verifier.verify(hook.body.replace(identity.encode(), b"mallory"), hook.authorization)

        # the room holds two: a third participant is refused (LiveKit answers the join with a bare 500)
        with pytest.raises(rtc.ConnectError):
            await Participant.join(livekit_server.url, tokens.issue(room, unique("carol"), "Carol", TTL))
        assert {p.identity for p in await rooms.list_participants(room)} == {alice_id, bob_id}

        # ending the call disconnects both
        await rooms.delete_room(room)
        await alice.wait_disconnected()
        await bob.wait_disconnected()
        assert await rooms.list_participants(room) == []
        await rooms.delete_room(room)  # idempotent
        await livekit_server.webhooks.wait_for(event_matcher("room_finished", room))
    finally:
        await alice.leave()
        await bob.leave()


async def test_a_token_only_ever_joins_its_own_room(
    livekit_server: LiveKitHarness, rooms: VideoRooms, tokens: VideoTokens
) -> None:
    room_a, room_b = unique("room-a"), unique("room-b")
    await rooms.ensure_room(room_a, 2, 60)
    await rooms.ensure_room(room_b, 2, 60)
    identity = unique("user")
    token_a = tokens.issue(room_a, identity, "User", TTL)

    # the room comes from the signed token, never from the client
    header, payload, signature = token_a.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["video"]["room"] = room_b
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(rtc.ConnectError) as forged:
        await Participant.join(livekit_server.url, f"{header}.{forged_payload}.{signature}")
    assert "401" in forged.value.message
    wrong_secret = LiveKitTokens(livekit_server.key, "x" * 40).issue(room_b, identity, "User", TTL)
    with pytest.raises(rtc.ConnectError) as unsigned:
        await Participant.join(livekit_server.url, wrong_secret)
    assert "401" in unsigned.value.message

    participant = await Participant.join(livekit_server.url, token_a)
    try:
        assert participant.room.name == room_a
        assert [p.identity for p in await rooms.list_participants(room_a)] == [identity]
        assert await rooms.list_participants(room_b) == []
    finally:
        await participant.leave()
        await rooms.delete_room(room_a)
        await rooms.delete_room(room_b)


async def test_a_room_we_did_not_create_cannot_be_joined(livekit_server: LiveKitHarness, tokens: VideoTokens) -> None:
    """livekit.yaml turns auto_create off, so an old token cannot resurrect a deleted room."""
    with pytest.raises(rtc.ConnectError) as refused:
        await Participant.join(livekit_server.url, tokens.issue(unique("never-created"), unique("user"), "U", TTL))
    assert "404" in refused.value.message


async def test_rejected_credentials_are_service_unavailable(livekit_server: LiveKitHarness) -> None:
    rooms = LiveKitRooms(livekit_server.api_url, livekit_server.key, "wrong-secret-" + "x" * 30, timeout_s=5)
    try:
        with pytest.raises(ServiceUnavailable) as caught:
            await rooms.ensure_room(unique("r"), 2, 60)
        assert caught.value.code == "video_unavailable"
    finally:
        await rooms.aclose()
