"""What the rest of the system knows about a video room, independent of the SFU behind it."""

from __future__ import annotations

from datetime import datetime

import msgspec

__all__ = ["ParticipantInfo", "VideoWebhookEvent"]


class ParticipantInfo(msgspec.Struct, frozen=True, kw_only=True):
    """Someone currently connected to a video room."""

    identity: str
    name: str
    joined_at: datetime
    sid: str = ""
    """The server's id of this connection; a reconnect or a second device gets a new one."""


class VideoWebhookEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A verified notification from the video server.

    ``event`` is the server's event name (``room_started``, ``room_finished``, ``participant_joined``,
    ``participant_left``, ``participant_connection_aborted``, ``track_published`` ...). Delivery is
    at-least-once and unordered: deduplicate by ``id`` and order by ``created_at``, never by arrival.
    ``room`` and ``participant_identity`` are ``None`` when the event does not concern one.
    """

    id: str
    event: str
    room: str | None
    participant_identity: str | None
    created_at: datetime
    participant_sid: str | None = None
    participant_joined_at: datetime | None = None
