"""Verification of LiveKit's signed webhook requests."""

from __future__ import annotations

from datetime import UTC, datetime

from livekit.api import TokenVerifier, WebhookReceiver
from livekit.protocol.webhook import WebhookEvent

from procus.domain.errors import AuthenticationFailed
from procus.domain.video import VideoWebhookEvent

__all__ = ["LiveKitWebhookVerifier"]

_INVALID = "invalid_webhook_signature"


class LiveKitWebhookVerifier:
    """Checks the ``Authorization`` JWT (signed with our API secret, issued by our API key) and that its
    ``sha256`` claim matches the exact body bytes, then maps the event to the domain."""

    def __init__(self, api_key: str, api_secret: str) -> None:
        self._receiver = WebhookReceiver(TokenVerifier(api_key, api_secret))

    def verify(self, raw_body: bytes, authorization: str | None) -> VideoWebhookEvent:
        if not authorization:
            raise AuthenticationFailed(_INVALID, "The webhook has no Authorization header")
        token = authorization.removeprefix("Bearer ").strip()
        try:
            body = raw_body.decode("utf-8")
            event = self._receiver.receive(body, token)
        except Exception as exc:  # the receiver raises bare Exception, jwt errors and parse errors alike
            raise AuthenticationFailed(_INVALID, "The webhook signature does not match its body") from exc
        return _to_domain(event)


def _to_domain(event: WebhookEvent) -> VideoWebhookEvent:
    participant = event.participant if event.HasField("participant") else None
    joined_ms = (participant.joined_at_ms or participant.joined_at * 1000) if participant else 0
    return VideoWebhookEvent(
        id=event.id,
        event=event.event,
        room=event.room.name if event.HasField("room") and event.room.name else None,
        participant_identity=(participant.identity or None) if participant else None,
        created_at=datetime.fromtimestamp(event.created_at, UTC),
        participant_sid=(participant.sid or None) if participant else None,
        participant_joined_at=datetime.fromtimestamp(joined_ms / 1000, UTC) if joined_ms else None,
    )
