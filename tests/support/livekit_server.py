"""The real livekit-server on loopback for tests, plus a recorder for the webhooks it sends.

The server runs from a copy of the repository's ``livekit.yaml`` with free ports, its own keys and
its webhook URL pointed at a :class:`WebhookRecorder`, so it never collides with a dev server on 7880.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import http.server
import json
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from procus.config import PROJECT_ROOT
from procus_devstack.livekit_binary import ensure_livekit_binary
from tests.support.processes import log_tail, start_on_free_ports

__all__ = [
    "LiveKitHarness",
    "LiveKitServer",
    "ReceivedWebhook",
    "WebhookRecorder",
    "derive_config",
    "run_livekit_server",
]

BASE_CONFIG = PROJECT_ROOT / "livekit.yaml"
_SERVER_FLAG_ENV = frozenset({"NODE_IP", "UDP_PORT", "REDIS_HOST", "REDIS_PASSWORD"})


@dataclass(frozen=True)
class ReceivedWebhook:
    body: bytes
    authorization: str | None
    content_type: str | None

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


class WebhookRecorder:
    """An HTTP endpoint on 127.0.0.1 that keeps every POST's raw body and Authorization header.

    Set ``forward_to`` to also relay each request (same body and headers) to another URL, e.g. the
    app's own webhook route; LiveKit then sees that URL's status code.
    """

    def __init__(self) -> None:
        self.forward_to: str | None = None
        self._lock = threading.Lock()
        self._received: list[ReceivedWebhook] = []
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-recorder", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/webhooks/livekit"

    def received(self) -> list[ReceivedWebhook]:
        with self._lock:
            return list(self._received)

    async def wait_for(self, predicate: Callable[[ReceivedWebhook], bool], timeout: float = 10.0) -> ReceivedWebhook:
        """The first recorded webhook (past or future) matching ``predicate``."""
        async with asyncio.timeout(timeout):
            while True:
                for hook in self.received():
                    if predicate(hook):
                        return hook
                await asyncio.sleep(0.05)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _record(self, hook: ReceivedWebhook) -> int:
        with self._lock:
            self._received.append(hook)
        target = self.forward_to
        if target is None:
            return 200
        headers = {"Content-Type": hook.content_type or "application/webhook+json"}
        if hook.authorization is not None:
            headers["Authorization"] = hook.authorization
        request = urllib.request.Request(target, data=hook.body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 502

    def _handler_class(self) -> type[http.server.BaseHTTPRequestHandler]:
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                hook = ReceivedWebhook(
                    body=self.rfile.read(length),
                    authorization=self.headers.get("Authorization"),
                    content_type=self.headers.get("Content-Type"),
                )
                self.send_response(recorder._record(hook))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler


@dataclass
class LiveKitServer:
    """A running server: where clients (``url``) and the API (``api_url``) reach it, and its keys."""

    url: str
    api_url: str
    key: str
    secret: str
    http_port: int
    tcp_port: int
    udp_port: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    config: dict[str, Any] = field(repr=False, default_factory=dict)

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_path, lines)

    def start_again(self, timeout: float = 20.0) -> LiveKitServer:
        """After :meth:`stop`: the same server (ports, keys, log) started again, as after an outage."""
        return _start(ensure_livekit_binary(), self.config, self.log_path, timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (graceful), then a second SIGTERM (forced), then SIGKILL."""
        for sig in (signal.SIGTERM, signal.SIGTERM, signal.SIGKILL):
            if self.process.poll() is not None:
                return
            self.process.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout / 2)


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("", 0))  # ICE/TCP listens on every interface, so the port must be free on all of them
        port: int = sock.getsockname()[1]
        return port


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def derive_config(
    base: dict[str, Any],
    *,
    http_port: int,
    tcp_port: int,
    udp_port: int,
    key: str,
    secret: str,
    webhook_url: str | None,
    redis_address: str | None = None,
) -> dict[str, Any]:
    """``base`` (the parsed livekit.yaml) with the test's ports, keys and webhook target; ICE over TCP
    stays off (``tcp_port: 0``) when ``base`` turns it off. With ``redis_address`` (``host:port``) the
    server runs in LiveKit's multi-node mode: every node on that Redis routes any room to its node."""
    config: dict[str, Any] = copy.deepcopy(base)
    config["port"] = http_port
    config["keys"] = {key: secret}
    if redis_address is not None:
        config["redis"] = {"address": redis_address}
    rtc = config.setdefault("rtc", {})
    rtc.update(tcp_port=tcp_port if rtc.get("tcp_port", 1) else 0, udp_port=udp_port)  # 0 keeps ICE/TCP off
    if webhook_url is None:
        config.pop("webhook", None)
    else:
        config["webhook"] = {"api_key": key, "urls": [webhook_url]}
    return config


def _overrides_config(env_name: str) -> bool:
    """Environment variables livekit-server reads as flags, which would silently beat our config."""
    return env_name.startswith("LIVEKIT_") or env_name in _SERVER_FLAG_ENV


def _wait_until_ready(server: LiveKitServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"livekit-server exited with {server.process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.api_url + "/", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"livekit-server did not answer within {timeout}s:\n{server.log_tail()}")


def _start(binary: Path, config: dict[str, Any], log_path: Path, timeout: float) -> LiveKitServer:
    rtc = config["rtc"]
    keys: dict[str, str] = config["keys"]
    ((key, secret),) = keys.items()
    env = {name: value for name, value in os.environ.items() if not _overrides_config(name)}
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [str(binary), "--config-body", yaml.safe_dump(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
        )
    server = LiveKitServer(
        url=f"ws://127.0.0.1:{config['port']}",
        api_url=f"http://127.0.0.1:{config['port']}",
        key=key,
        secret=secret,
        http_port=config["port"],
        tcp_port=rtc["tcp_port"],
        udp_port=rtc["udp_port"],
        log_path=log_path,
        process=process,
        config=config,
    )
    try:
        _wait_until_ready(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


@dataclass(frozen=True)
class LiveKitHarness:
    """What the ``livekit_server`` fixture yields: a running server whose webhooks go to ``webhooks``."""

    server: LiveKitServer
    webhooks: WebhookRecorder

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def api_url(self) -> str:
        return self.server.api_url

    @property
    def key(self) -> str:
        return self.server.key

    @property
    def secret(self) -> str:
        return self.server.secret


@contextlib.contextmanager
def run_livekit_server(
    log_dir: Path,
    *,
    webhook_url: str | None = None,
    key: str = "testkey",
    secret: str | None = None,
    base_config: Path = BASE_CONFIG,
    startup_timeout: float = 20.0,
    redis_address: str | None = None,
) -> Iterator[LiveKitServer]:
    """Build the binary if needed, start it on free loopback ports, yield it, stop it. Nodes given the
    same ``redis_address`` (and keys) form one multi-node LiveKit.

    Free ports are only free when probed, so a start that loses a race is retried on new ones.
    """
    binary = ensure_livekit_binary()
    base = yaml.safe_load(base_config.read_text())
    secret = secret or secrets.token_urlsafe(32)
    log_dir.mkdir(parents=True, exist_ok=True)

    def start(attempt: int) -> LiveKitServer:
        config = derive_config(
            base,
            http_port=free_tcp_port(),
            tcp_port=free_tcp_port(),
            udp_port=free_udp_port(),
            key=key,
            secret=secret,
            webhook_url=webhook_url,
            redis_address=redis_address,
        )
        return _start(binary, config, log_dir / f"livekit-server-{attempt}.log", startup_timeout)

    server = start_on_free_ports(start)
    try:
        yield server
    finally:
        server.stop()
