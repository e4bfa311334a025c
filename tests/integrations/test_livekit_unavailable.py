"""A LiveKit that is down, silent or failing surfaces as ServiceUnavailable, quickly, and nothing else."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from procus.domain.errors import ServiceUnavailable
from procus.integrations.livekit import LiveKitRooms
from tests.support.livekit_server import free_tcp_port

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _serve(handler: Handler) -> AsyncIterator[str]:
    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


@pytest.fixture
async def silent_server() -> AsyncIterator[str]:
    """Accepts connections and reads requests but never answers; lets go when the client hangs up."""

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.read(65536):
                pass
        finally:
            writer.close()

    async for url in _serve(handler):
        yield url


@pytest.fixture(
    params=[
        pytest.param((b"503 Service Unavailable", b'{"code":"unavailable","msg":"draining"}'), id="twirp-503"),
        pytest.param((b"502 Bad Gateway", b"<html>bad gateway</html>"), id="proxy-502"),
        pytest.param((b"200 OK", b"<html>not protobuf</html>"), id="garbage-200"),
    ]
)
async def failing_server(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """Answers every request with the same broken response."""
    status, body = request.param

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 "
            + status
            + b"\r\nContent-Type: text/html\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    async for url in _serve(handler):
        yield url


async def assert_every_call_unavailable(api_url: str, *, timeout_s: float, within_s: float) -> None:
    rooms = LiveKitRooms(api_url, "key", "s" * 40, timeout_s=timeout_s)
    started = time.monotonic()
    try:
        for call in (rooms.ensure_room("r", 2, 60), rooms.delete_room("r"), rooms.list_participants("r")):
            with pytest.raises(ServiceUnavailable) as caught:
                await call
            assert caught.value.code == "video_unavailable"
    finally:
        await rooms.aclose()
    assert time.monotonic() - started < within_s


async def test_closed_port_is_service_unavailable() -> None:
    await assert_every_call_unavailable(f"http://127.0.0.1:{free_tcp_port()}", timeout_s=2, within_s=3)


async def test_silent_server_times_out_as_service_unavailable(silent_server: str) -> None:
    await assert_every_call_unavailable(silent_server, timeout_s=0.3, within_s=3)


async def test_server_error_is_service_unavailable(failing_server: str) -> None:
    await assert_every_call_unavailable(failing_server, timeout_s=2, within_s=3)
