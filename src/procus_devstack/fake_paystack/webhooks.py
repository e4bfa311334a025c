"""Webhook delivery the way Paystack does it, compressed in time.

Each event is POSTed as ``{"event": ..., "data": ...}`` with ``Content-Type: application/json`` and
``x-paystack-signature`` = hex HMAC-SHA512 of the exact body bytes keyed with the secret key
(computed here independently of our verifier, so a test of one against the other means something).
Anything but a 200 is retried after each of ``retry_delays``, then given up. Every delivery is kept
for inspection through ``/_fake/webhooks``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import msgspec

__all__ = ["Delivery", "WebhookDispatcher", "WebhookPolicy"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebhookPolicy:
    retry_delays: tuple[float, ...] = (1.0, 5.0, 15.0, 60.0)
    timeout: float = 5.0


@dataclass
class Delivery:
    id: int
    event: str
    body: bytes
    signature: str
    url: str | None
    created_at: datetime
    state: str = "pending"
    attempts: list[str] = field(default_factory=list)
    attempt_ms: list[float] = field(default_factory=list)
    """How long the receiver took to answer each attempt: its handling time as Paystack would see it."""

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "event": self.event,
            "url": self.url,
            "state": self.state,
            "attempts": self.attempts,
            "attempt_ms": self.attempt_ms,
            "signature": self.signature,
            "payload": msgspec.json.decode(self.body),
            "created_at": self.created_at.isoformat(),
        }


class WebhookDispatcher:
    def __init__(self, secret_key: str, url: str | None, policy: WebhookPolicy | None = None) -> None:
        self._secret_key = secret_key
        self.url = url
        self.policy = policy or WebhookPolicy()
        self.deliveries: list[Delivery] = []
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._http = httpx.AsyncClient(timeout=self.policy.timeout)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    def emit(self, event: str, data: dict[str, Any]) -> Delivery:
        body = msgspec.json.encode({"event": event, "data": data})
        signature = hmac.new(self._secret_key.encode(), body, hashlib.sha512).hexdigest()
        delivery = Delivery(next(self._ids), event, body, signature, self.url, datetime.now(UTC))
        self.deliveries.append(delivery)
        if self.url is None:
            delivery.state = "not_sent"
            return delivery
        task = asyncio.get_running_loop().create_task(self._deliver(delivery, self.url))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return delivery

    async def _deliver(self, delivery: Delivery, url: str) -> None:
        headers = {"Content-Type": "application/json", "x-paystack-signature": delivery.signature}
        for delay in (0.0, *self.policy.retry_delays):
            if delay:
                await asyncio.sleep(delay)
            if self._http is None:
                delivery.state = "failed"
                return
            started = time.perf_counter()
            try:
                response = await self._http.post(url, content=delivery.body, headers=headers)
            except httpx.HTTPError as exc:
                delivery.attempts.append(f"error: {exc!r}")
                delivery.attempt_ms.append((time.perf_counter() - started) * 1000)
            else:
                delivery.attempt_ms.append((time.perf_counter() - started) * 1000)
                delivery.attempts.append(str(response.status_code))
                if response.status_code == 200:
                    delivery.state = "delivered"
                    return
            log.info(
                "fake paystack: %s delivery %d attempt failed: %s", delivery.event, delivery.id, delivery.attempts[-1]
            )
        delivery.state = "failed"
