"""Who the caller is on the network, decided once for every later layer.

Behind our own reverse proxies (``TRUST_PROXY_HEADERS``), each proxy appends the address it saw to
``X-Forwarded-For``. Everything left of what our proxies appended was written by the caller and
proves nothing, so the caller's address is the entry ``TRUSTED_PROXY_HOPS`` from the right: the one
the outermost of our proxies added. Rate limits, sign-in throttling and session records all read the
result from the ASGI scope's ``client`` (and ``scheme``), never the headers.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

__all__ = ["client_address_middleware", "forwarded_client"]


def forwarded_client(forwarded_for: str, trusted_hops: int) -> str | None:
    """The address our outermost trusted proxy saw, from an ``X-Forwarded-For`` value."""
    entries = [entry.strip() for entry in forwarded_for.split(",") if entry.strip()]
    if not entries or trusted_hops < 1:
        return None
    return entries[-min(trusted_hops, len(entries))]


def _header(scope: Scope, name: bytes) -> str | None:
    values = [value.decode("latin-1") for key, value in scope.get("headers", ()) if key == name]
    return ",".join(values) if values else None


def client_address_middleware(trusted_hops: int) -> Callable[[ASGIApp], ASGIApp]:
    def factory(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] in (ScopeType.HTTP, ScopeType.WEBSOCKET):
                forwarded_for = _header(scope, b"x-forwarded-for")
                address = forwarded_client(forwarded_for, trusted_hops) if forwarded_for else None
                if address is not None:
                    client = scope.get("client")
                    scope["client"] = (address, client[1] if client else 0)
                proto = _header(scope, b"x-forwarded-proto")
                scheme = forwarded_client(proto, trusted_hops) if proto else None
                if scheme in ("http", "https"):
                    scope["scheme"] = (
                        scheme if scope["type"] == ScopeType.HTTP else {"http": "ws", "https": "wss"}[scheme]
                    )
            await app(scope, receive, send)

        return middleware

    return factory
