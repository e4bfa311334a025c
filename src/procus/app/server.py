"""How ``procus serve`` runs uvicorn: bounded request heads and timeouts on every connection.

uvicorn's fast parser (httptools) accepts request heads of any size and any number of headers, and
waits forever for a head that never completes: ten sockets sending 16 MB of headers held 300 MB.
``BoundedHttpProtocol`` refuses a head over ``MAX_HEAD_BYTES`` or ``MAX_HEADERS`` with 431 and closes
a connection whose head has not arrived within ``HEAD_TIMEOUT_SECONDS`` (counted from the connection,
or from the first byte of each next request on a kept-alive one) with 408. In production a reverse
proxy in front (README, "Production") applies the same limits before traffic reaches us.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["BoundedHttpProtocol", "uvicorn_options"]

MAX_HEAD_BYTES = 32 * 1024
MAX_HEADERS = 100
HEAD_TIMEOUT_SECONDS = 10.0
KEEP_ALIVE_SECONDS = 5
GRACEFUL_SHUTDOWN_SECONDS = 20


class _HeadRefused(Exception):
    """Stops the parser once a response refusing the head is on its way."""


class BoundedHttpProtocol(HttpToolsProtocol):
    max_head_bytes = MAX_HEAD_BYTES
    max_headers = MAX_HEADERS
    head_timeout_seconds = HEAD_TIMEOUT_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._head_count = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        self._arm_head_timer_if_between_requests()
        super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        if not self._refused:  # a refused head already has its answer
            super().send_400_response(msg)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
        self._head_count = 0

    def on_url(self, url: bytes) -> None:
        self._count(len(url), headers=0)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4, headers=1)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._disarm_head_timer()
        super().on_headers_complete()

    def _count(self, size: int, *, headers: int) -> None:
        self._head_bytes += size
        self._head_count += headers
        if self._head_bytes > self.max_head_bytes or self._head_count > self.max_headers:
            self._refuse(431, b"Request Header Fields Too Large")
            raise _HeadRefused

    def _arm_head_timer(self) -> None:
        self._disarm_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout_seconds, self._refuse, 408, b"Request Timeout")

    def _arm_head_timer_if_between_requests(self) -> None:
        if self._head_timer is None and (self.cycle is None or self.cycle.response_complete):
            self._arm_head_timer()

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _refuse(self, status: int, reason: bytes) -> None:
        self._disarm_head_timer()
        if self._refused or self.transport.is_closing():
            return
        self._refused = True
        self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-length: 0\r\nconnection: close\r\n\r\n" % (status, reason))
        self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    """The server settings ``procus serve`` (and so the container image) runs with."""
    return {
        "http": BoundedHttpProtocol,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
    }
