"""/v1/webhooks/livekit: the video server's signed notifications of who joined and left which room."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, post

from procus.handlers.schemas import WEBHOOK_MAX_BYTES
from procus.services.calls import CallService, WebhookOutcome

__all__ = ["LiveKitWebhookController"]


class LiveKitWebhookAck(msgspec.Struct, frozen=True):
    outcome: WebhookOutcome


class LiveKitWebhookController(Controller):
    path = "/v1/webhooks/livekit"
    tags = ["calls"]

    @post(operation_id="receiveLiveKitWebhook", status_code=200, request_max_body_size=WEBHOOK_MAX_BYTES)
    async def receive(self, request: Request[Any, Any, Any], calls: CallService) -> LiveKitWebhookAck:
        """Signed by LiveKit (a JWT whose ``sha256`` claim covers the raw body); 401 when it does not match."""
        body = await request.body()
        return LiveKitWebhookAck(await calls.attendance.record_webhook(body, request.headers.get("authorization")))
