"""``procus serve`` bounds what one connection can make the server hold: head size, header count, time."""

from __future__ import annotations

import socket
import time
from typing import Any

import pytest

from procus import cli
from procus.app.server import BoundedHttpProtocol, uvicorn_options
from tests.support.http_server import serve_in_thread


async def _hello(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


class _QuickHeads(BoundedHttpProtocol):
    head_timeout_seconds = 0.5


@pytest.fixture(scope="module")
def address() -> Any:
    options = {**uvicorn_options(), "http": _QuickHeads}
    with serve_in_thread(_hello, **options) as base_url:
        host, port = base_url.removeprefix("http://").split(":")
        yield host, int(port)


def _exchange(address: tuple[str, int], head: bytes, *, pause: float = 0.0) -> bytes:
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(head)
        time.sleep(pause)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def test_a_normal_request_and_a_kept_alive_second_one_are_served(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=5) as sock:
        for _ in range(2):
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(4096).startswith(b"HTTP/1.1 200")


def test_a_head_over_32_kib_is_refused_with_431(address: tuple[str, int]) -> None:
    answer = _exchange(address, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40_000 + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431")


def test_more_than_100_headers_are_refused_with_431(address: tuple[str, int]) -> None:
    headers = b"".join(b"X-H%d: 1\r\n" % i for i in range(150))
    assert _exchange(address, b"GET / HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n").startswith(b"HTTP/1.1 431")


def test_a_head_that_never_completes_is_cut_off_with_408(address: tuple[str, int]) -> None:
    started = time.monotonic()
    assert _exchange(address, b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ").startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 3


def test_a_silent_connection_is_closed(address: tuple[str, int]) -> None:
    started = time.monotonic()
    assert _exchange(address, b"").startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < 3


def test_procus_serve_runs_uvicorn_with_these_bounds(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    import uvicorn

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(kwargs))
    monkeypatch.setattr(cli, "_settings_with_database", lambda: settings)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    assert cli.main(["serve", "--port", "0"]) == 0
    assert seen["http"] is BoundedHttpProtocol
    assert seen["timeout_keep_alive"] == 5
    assert seen["h11_max_incomplete_event_size"] == 32 * 1024
    assert seen["proxy_headers"] is False


@pytest.mark.timeout(120)
async def test_the_dev_stack_api_runs_procus_serve_with_the_same_bounds(settings: Any, tmp_path: Any) -> None:
    """``procus dev`` used to start uvicorn directly, with unbounded heads; now it runs ``procus serve``."""
    import asyncio

    import httpx

    from procus_devstack.stack import dev_processes
    from tests.support.livekit_server import free_tcp_port
    from tests.support.procus_processes import settings_environment

    port = free_tcp_port()
    (api,) = [spec for spec in dev_processes(settings, port=port) if spec.name == "api"]
    assert api.argv[1:4] == ["-m", "procus.cli", "serve"]
    env = {**settings_environment(settings), **api.env, "APP_ENV": "test"}
    with (tmp_path / "api.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(*api.argv, env=env, stdout=log, stderr=log)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=2) as http:
            for _ in range(300):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.2)
            headers = b"".join(b"X-H%d: 1\r\n" % i for i in range(150))
            answer = await asyncio.to_thread(
                _exchange, ("127.0.0.1", port), b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n"
            )
            assert answer.startswith(b"HTTP/1.1 431"), (tmp_path / "api.log").read_text()
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 30)
