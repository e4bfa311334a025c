"""ASGI wrapper that logs every request and injects the faults configured through ``/_fake/faults``.

Only the Paystack API is subject to faults; ``/_fake`` controls and the checkout page never are.
"""

from __future__ import annotations

import asyncio
import time

import msgspec
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
        started = time.perf_counter()
        exempt = path.startswith(_EXEMPT_PREFIXES)
        body = b""
        if not exempt and method == "POST":
            receive, body = await _read_ahead(receive)
        rule = None if exempt else self._fake.take_fault(method, path)
        if rule is None:
            status = await self._forward(scope, receive, send)
        else:
            if rule.delay > 0:
                receive, _ = await _read_ahead(receive)
                await asyncio.sleep(rule.delay)
            if rule.status is None:
                status = await self._forward(scope, receive, send)
            else:
                if rule.after:
                    await self._forward(scope, receive, _swallow)
                await _send_injected(send, rule.status)
                status = rule.status
        elapsed_ms = (time.perf_counter() - started) * 1000
        record = RequestRecord(method, path, query, status, rule is not None, _reference(path, body), elapsed_ms)
        self._fake.requests.append(record)

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> int:
        status = 500

        async def recording_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self._app(scope, receive, recording_send)
        return status


async def _read_ahead(receive: Receive) -> tuple[Receive, bytes]:
    """Take in the whole request body now, so that it takes effect even if the client stops waiting;
    returns a replaying ``receive`` and the body."""
    buffered: list[ReceiveMessage] = []
    while True:
        message = await receive()
        buffered.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    body = b"".join(m.get("body", b"") for m in buffered if m["type"] == "http.request")

    async def replay() -> ReceiveMessage:
        return buffered.pop(0) if buffered else await receive()

    return replay, body


def _reference(path: str, body: bytes) -> str | None:
    """The reference a Paystack API request is about: ``/transaction/verify/{ref}``, ``/transfer/verify/{ref}``,
    or the ``reference`` (refunds: ``transaction``) of a JSON body."""
    if "/verify/" in path:
        return path.rsplit("/", 1)[1]
    if not body:
        return None
    try:
        data = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return None
    if not isinstance(data, dict):
        return None
    found = data.get("reference") or data.get("transaction")
    return str(found) if found is not None else None


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
