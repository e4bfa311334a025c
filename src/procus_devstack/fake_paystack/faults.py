"""ASGI wrapper that logs every request and injects the faults configured through ``/_fake/faults``.

Only the Paystack API is subject to faults; ``/_fake`` controls and the checkout page never are.
"""

from __future__ import annotations

import asyncio

from litestar.enums import ScopeType
from litestar.types import ASGIApp, HTTPResponseStartEvent, Message, Receive, ReceiveMessage, Scope, Send

from .engine import FakePaystack, RequestRecord

__all__ = ["FaultInjector"]

_EXEMPT_PREFIXES = ("/_fake", "/checkout")


class FaultInjector:
    def __init__(self, app: ASGIApp, fake: FakePaystack) -> None:
        self._app = app
        self._fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        query = scope["query_string"].decode("latin-1")
        rule = None if path.startswith(_EXEMPT_PREFIXES) else self._fake.take_fault(method, path)
        if rule is None:
            status = await self._forward(scope, receive, send)
            self._fake.requests.append(RequestRecord(method, path, query, status, injected=False))
            return
        if rule.delay > 0:
            receive = await _read_ahead(receive)
            await asyncio.sleep(rule.delay)
        if rule.status is None:
            status = await self._forward(scope, receive, send)
        else:
            if rule.after:
                await self._forward(scope, receive, _swallow)
            await _send_injected(send, rule.status)
            status = rule.status
        self._fake.requests.append(RequestRecord(method, path, query, status, injected=True))

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> int:
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self._app(scope, receive, recording_send)
        return status


async def _read_ahead(receive: Receive) -> Receive:
    """Take in the whole request body now, so that it takes effect even if the client stops waiting."""
    buffered: list[ReceiveMessage] = []
    while True:
        message = await receive()
        buffered.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break

    async def replay() -> ReceiveMessage:
        return buffered.pop(0) if buffered else await receive()

    return replay


async def _swallow(message: Message) -> None:
    return None


async def _send_injected(send: Send, status: int) -> None:
    body = b'{"status":false,"message":"Fake Paystack: injected failure"}'
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
