"""Give every request an id (ours, or a sane one the caller sent), log it, and echo it back."""

from __future__ import annotations

import logging
import random
import re
import time

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from procus.app.logging import request_id_var

__all__ = ["REQUEST_ID_HEADER", "request_context_middleware"]

REQUEST_ID_HEADER = "x-request-id"
_HEADER_NAME = REQUEST_ID_HEADER.encode()
_ACCEPTABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_log = logging.getLogger("procus.http")


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == _HEADER_NAME:
            candidate = value.decode("latin-1")
            return candidate if _ACCEPTABLE_ID.match(candidate) else None
    return None


def _new_id() -> str:
    """128 random bits in hex. Ids only tell requests apart in logs, so they need not be unguessable:
    ``random`` (reseeded in every forked worker) makes them without the system call that
    ``uuid4`` or ``os.urandom`` pays on every request."""
    return f"{random.getrandbits(128):032x}"


def request_context_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or _new_id()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((_HEADER_NAME, request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            if _log.isEnabledFor(logging.INFO):
                _log.info(
                    "request",
                    extra={
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    },
                )
            request_id_var.reset(token)

    return middleware
