"""The video system as the services see it: rooms, join tokens and signed webhooks."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from procus.domain.video import ParticipantInfo, VideoWebhookEvent

__all__ = ["VideoRooms", "VideoTokens", "VideoWebhookVerifier"]


class VideoRooms(Protocol):
    """Room administration. Every method raises ``ServiceUnavailable("video_unavailable")`` when the
    video server cannot be reached or fails; nothing is changed in that case."""

    async def ensure_room(self, name: str, max_participants: int, empty_timeout_s: int) -> None:
        """Create the room, or update the limits of an existing one (idempotent)."""
        ...

    async def delete_room(self, name: str) -> None:
        """Close the room and disconnect everyone in it; a room that does not exist is not an error."""
        ...

    async def list_participants(self, room: str) -> list[ParticipantInfo]:
        """Who is connected right now; a room that does not exist has nobody in it."""
        ...


class VideoTokens(Protocol):
    def issue(self, room: str, identity: str, name: str, ttl: timedelta) -> str:
        """A token that lets ``identity`` join ``room`` only, to publish and subscribe.

        ``ttl`` bounds only the first connection: the server refreshes tokens of connected clients,
        so ending a call is ``VideoRooms.delete_room``, not a short ttl.
        """
        ...


class VideoWebhookVerifier(Protocol):
    def verify(self, raw_body: bytes, authorization: str | None) -> VideoWebhookEvent:
        """Check the signature over the exact request body; raise
        ``AuthenticationFailed("invalid_webhook_signature")`` on any mismatch or malformed input."""
        ...
