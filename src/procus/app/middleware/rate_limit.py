"""Fixed-window rate limiting per client address: a global budget, and a stricter one on /v1/auth/*.

Counts live in a store shared by every API process (Redis when REDIS_URL is set); the in-memory
counter is for a single process in development and tests.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import NamedTuple, Protocol

import msgspec
from litestar.types import HTTPResponseBodyEvent, HTTPResponseStartEvent, Scope, Send

__all__ = ["HitCounter", "MemoryHitCounter", "RateLimit", "RateLimiter", "Refusal", "send_too_many"]

# Probes, and webhooks that providers post from a few shared addresses and authenticate by signature.
_EXEMPT = ("/healthz", "/readyz", "/metrics", "/v1/webhooks/")


class HitCounter(Protocol):
    async def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        """Count one hit on ``key`` in the current window; return (hits so far, seconds until reset)."""
        ...


class MemoryHitCounter:
    """One process's counts. ``hit`` never awaits between reading and writing a count, so on the
    event loop's one thread no other hit can interleave: no lock is needed."""

    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}

    async def hit(self, key: str, window_seconds: int) -> tuple[int, float]:
        now = time.monotonic()
        reset_at, count = self._windows.get(key, (0.0, 0))
        if now >= reset_at:
            reset_at, count = now + window_seconds, 0
            if len(self._windows) > 100_000:
                self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
        count += 1
        self._windows[key] = (reset_at, count)
        return count, reset_at - now


class RateLimit(msgspec.Struct, frozen=True):
    name: str
    limit: int
    window_seconds: int
    applies: Callable[[str], bool]


def _client_address(scope: Scope) -> str:
    """Set by ``client_address_middleware`` when the app sits behind our own proxies."""
    client = scope.get("client")
    return client[0] if client else "unknown"


async def _too_many(send: Send, retry_after: int, name: str) -> None:
    body = msgspec.json.encode(
        {
            "type": "urn:procus:problem:rate_limited",
            "title": "Too Many Requests",
            "status": 429,
            "detail": f"Too many requests ({name} limit); retry in {retry_after} s.",
            "code": "rate_limited",
        }
    )
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 429,
        "headers": [
            (b"content-type", b"application/problem+json"),
            (b"retry-after", str(retry_after).encode()),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    body_event: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(body_event)


class Refusal(NamedTuple):
    limit: str
    retry_after: int


class RateLimiter:
    """Counts each HTTP request against every limit that applies to its path (``edge`` asks it)."""

    def __init__(self, counter: HitCounter, limits: list[RateLimit]) -> None:
        self._counter = counter
        self._limits = limits

    async def refusal(self, scope: Scope) -> Refusal | None:
        """Why this request is refused (the first limit it exceeds), or None when it may go on."""
        path = scope.get("path", "")
        if path.startswith(_EXEMPT):
            return None
        address = _client_address(scope)
        for limit in self._limits:
            if not limit.applies(path):
                continue
            hits, reset_in = await self._counter.hit(f"rl:{limit.name}:{address}", limit.window_seconds)
            if hits > limit.limit:
                return Refusal(limit.name, max(1, math.ceil(reset_in)))
        return None


async def send_too_many(send: Send, refusal: Refusal) -> None:
    await _too_many(send, refusal.retry_after, refusal.limit)
