"""Join tokens and webhook signatures, checked without a server."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from livekit.api import AccessToken

from procus.domain.errors import AuthenticationFailed
from procus.integrations.livekit import LiveKitTokens, LiveKitWebhookVerifier
from procus.services.ports.video import VideoTokens, VideoWebhookVerifier

KEY = "unit-key"
SECRET = "unit-secret-that-is-at-least-32-characters"

EVENT_BODY = json.dumps(
    {
        "event": "participant_joined",
        "id": "EV_123",
        "createdAt": "1767225600",
        "room": {"sid": "RM_1", "name": "booking-42"},
        "participant": {"sid": "PA_1", "identity": "user-7", "name": "Ada"},
    },
    indent=2,
).encode()


def sign(body: bytes, *, key: str = KEY, secret: str = SECRET) -> str:
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    return AccessToken(key, secret).with_sha256(digest).with_ttl(timedelta(minutes=5)).to_jwt()


def test_token_grants_join_of_one_room_only() -> None:
    tokens: VideoTokens = LiveKitTokens(KEY, SECRET)
    before = datetime.now(UTC).replace(microsecond=0)
    token = tokens.issue("booking-42", "user-7", "Ada Lovelace", timedelta(minutes=30))

    claims = jwt.decode(token, SECRET, algorithms=["HS256"], issuer=KEY)

    assert claims["sub"] == "user-7"
    assert claims["name"] == "Ada Lovelace"
    assert claims["video"] == {
        "roomJoin": True,
        "room": "booking-42",
        "canPublish": True,
        "canSubscribe": True,
        "canPublishData": True,
    }
    assert claims["exp"] - claims["nbf"] == 30 * 60
    assert claims["nbf"] >= before.timestamp()


@pytest.mark.parametrize(("room", "identity", "ttl"), [("", "u", 60), ("r", "", 60), ("r", "u", 0), ("r", "u", -5)])
def test_token_needs_room_identity_and_positive_ttl(room: str, identity: str, ttl: int) -> None:
    with pytest.raises(ValueError):
        LiveKitTokens(KEY, SECRET).issue(room, identity, "x", timedelta(seconds=ttl))


def test_webhook_with_matching_signature_is_mapped_to_the_domain() -> None:
    verifier: VideoWebhookVerifier = LiveKitWebhookVerifier(KEY, SECRET)

    event = verifier.verify(EVENT_BODY, sign(EVENT_BODY))

    assert event.id == "EV_123"
    assert event.event == "participant_joined"
    assert event.room == "booking-42"
    assert event.participant_identity == "user-7"
    assert event.created_at == datetime(2026, 1, 1, tzinfo=UTC)


def test_webhook_accepts_a_bearer_prefix_and_events_without_participant() -> None:
    body = json.dumps({"event": "room_finished", "id": "EV_9", "createdAt": "1767225600", "room": {"name": "r"}})
    event = LiveKitWebhookVerifier(KEY, SECRET).verify(body.encode(), "Bearer " + sign(body.encode()))
    assert (event.event, event.room, event.participant_identity) == ("room_finished", "r", None)


@pytest.mark.parametrize(
    ("body", "authorization"),
    [
        pytest.param(EVENT_BODY, None, id="no-header"),
        pytest.param(EVENT_BODY, "", id="empty-header"),
        pytest.param(EVENT_BODY, "not-a-jwt", id="garbage-header"),
        pytest.param(EVENT_BODY.replace(b"user-7", b"user-8"), sign(EVENT_BODY), id="tampered-body"),
        pytest.param(EVENT_BODY + b"\n", sign(EVENT_BODY), id="reformatted-body"),
        pytest.param(EVENT_BODY, sign(EVENT_BODY, secret="another-secret-of-at-least-32-chars!!"), id="wrong-secret"),
        pytest.param(EVENT_BODY, sign(EVENT_BODY, key="other-key"), id="wrong-issuer"),
        pytest.param(b"\xff\xfe", sign(b"\xff\xfe"), id="not-utf8"),
        pytest.param(
            EVENT_BODY,
            AccessToken(KEY, SECRET).with_ttl(timedelta(minutes=5)).to_jwt(),
            id="no-sha256-claim",
        ),
    ],
)
def test_webhook_signature_mismatch_is_rejected(body: bytes, authorization: str | None) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        LiveKitWebhookVerifier(KEY, SECRET).verify(body, authorization)
    assert caught.value.code == "invalid_webhook_signature"


def test_expired_webhook_signature_is_rejected() -> None:
    digest = base64.b64encode(hashlib.sha256(EVENT_BODY).digest()).decode()
    expired = jwt.encode(
        {"iss": KEY, "sha256": digest, "nbf": 0, "exp": int(datetime.now(UTC).timestamp()) - 3600},
        SECRET,
        algorithm="HS256",
    )
    with pytest.raises(AuthenticationFailed):
        LiveKitWebhookVerifier(KEY, SECRET).verify(EVENT_BODY, expired)
