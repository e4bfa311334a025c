"""Every request's id (ours, or a sane one the caller sent) and its access-log line; ``edge`` echoes the id."""

from __future__ import annotations

import logging
import random
import re

from litestar.types import Scope

__all__ = ["REQUEST_ID_HEADER", "log_request", "request_id_for"]

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


def request_id_for(scope: Scope) -> str:
    """The caller's ``X-Request-ID`` if it looks sane, else a new id."""
    return _incoming_id(scope) or _new_id()


def log_request(scope: Scope, status: int, seconds: float) -> None:
    """One access-log line; nothing is built when INFO is off."""
    if _log.isEnabledFor(logging.INFO):
        _log.info(
            "request",
            extra={
                "method": scope.get("method"),
                "path": scope.get("path"),
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            },
        )
