"""LiveKit implementations of the video ports (``procus.services.ports.video``)."""

from __future__ import annotations

from procus.integrations.livekit.rooms import LiveKitRooms
from procus.integrations.livekit.tokens import LiveKitTokens
from procus.integrations.livekit.webhooks import LiveKitWebhookVerifier

__all__ = ["LiveKitRooms", "LiveKitTokens", "LiveKitWebhookVerifier"]
