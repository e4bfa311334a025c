"""Readers for the deployment files Docker would consume (no Docker here): docker-compose.yml with
compose's ``${VAR:-default}`` interpolation, .env.example, the Dockerfile's stages, and the
scripts/settings_table.py module."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import yaml

from procus.config import PROJECT_ROOT
from procus_devstack.livekit_binary import ensure_livekit_binary
from tests.support.livekit_server import free_tcp_port, free_udp_port

__all__ = [
    "Copy",
    "DockerStage",
    "EnvLine",
    "Port",
    "compose_file",
    "dockerfile_stages",
    "env_example",
    "interpolate",
    "livekit_server_with_environment",
    "published_ports",
    "settings_table_script",
    "wait_for_ok",
]

_INTERPOLATION = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?-)(?P<default>[^}]*))?\}")
_ENV_LINE = re.compile(r"^(?P<comment>#\s*)?(?P<name>[A-Z][A-Z0-9_]*)=(?P<value>.*)$")


def interpolate(value: Any, env: Mapping[str, str]) -> Any:
    """``value`` (any YAML node) with ``${NAME}``, ``${NAME:-default}``, ``${NAME-default}`` and ``$$``
    resolved as docker compose resolves them against ``env`` (the shell plus .env)."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def resolve(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, default = match.group("name", "op", "default")
        if op == ":-":
            return env.get(name) or default
        if op == "-":
            return env.get(name, default)
        if name not in env:
            raise KeyError(f"${{{name}}} has no default in docker-compose.yml")
        return env[name]

    return _INTERPOLATION.sub(resolve, value)


def compose_file(env: Mapping[str, str]) -> dict[str, Any]:
    raw = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    resolved: dict[str, Any] = interpolate(raw, env)
    return resolved


@dataclass(frozen=True)
class EnvLine:
    name: str
    value: str
    commented: bool


def env_example() -> list[EnvLine]:
    """The ``NAME=value`` lines of .env.example, commented (``# NAME=value``: the default) or not."""
    lines = []
    for line in (PROJECT_ROOT / ".env.example").read_text().splitlines():
        match = _ENV_LINE.match(line.strip())
        if match:
            value = match.group("value").strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            lines.append(EnvLine(match.group("name"), value, commented=bool(match.group("comment"))))
    return lines


@dataclass(frozen=True)
class Port:
    host_ip: str
    host: int
    container: int
    protocol: str


def published_ports(service: Mapping[str, Any]) -> set[Port]:
    """A service's ``ports`` in compose's short syntax: ``[IP:]HOST:CONTAINER[/PROTOCOL]``."""
    ports = set()
    for entry in service.get("ports", []):
        spec, _, protocol = str(entry).partition("/")
        parts = spec.split(":")
        host_ip = parts[0] if len(parts) == 3 else ""
        ports.add(Port(host_ip, int(parts[-2]), int(parts[-1]), protocol or "tcp"))
    return ports


@dataclass(frozen=True)
class Copy:
    origin: str
    """The stage or image after ``--from=``; empty for the build context."""
    sources: tuple[str, ...]
    destination: str


@dataclass
class DockerStage:
    base: str
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def arguments(self, instruction: str) -> list[str]:
        return [args for keyword, args in self.instructions if keyword == instruction]

    def copies(self) -> list[Copy]:
        result = []
        for args in self.arguments("COPY"):
            words = args.split()
            origin = next((word.removeprefix("--from=") for word in words if word.startswith("--from=")), "")
            paths = [word for word in words if not word.startswith("--")]
            result.append(Copy(origin, tuple(paths[:-1]), paths[-1].rstrip("/") or "/"))
        return result

    def exec_form(self, instruction: str) -> list[str]:
        """The last ``instruction`` written in JSON (exec) form, e.g. CMD ["procus", "serve"]."""
        value: list[str] = json.loads(self.arguments(instruction)[-1])
        return value


def dockerfile_stages() -> list[DockerStage]:
    text = (PROJECT_ROOT / "Dockerfile").read_text()
    logical = re.sub(r"\\\n", " ", text)
    stages: list[DockerStage] = []
    for line in logical.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        keyword, args = keyword.upper(), " ".join(args.split())
        if keyword == "FROM":
            words = args.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else ""
            stages.append(DockerStage(words[0], name))
        else:
            stages[-1].instructions.append((keyword, args))
    return stages


def settings_table_script() -> ModuleType:
    """scripts/settings_table.py as a module (scripts/ is not a package)."""
    path = PROJECT_ROOT / "scripts" / "settings_table.py"
    spec = importlib.util.spec_from_file_location("settings_table", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def livekit_server_with_environment(environment: Mapping[str, str], redis_address: str) -> Iterator[str]:
    """livekit-server configured by ``environment`` alone, as the compose service is, but listening on
    free loopback ports and using the Redis at ``redis_address`` (``host:port``) instead of compose's;
    yields its base URL."""
    assert "REDIS_HOST" in environment, "compose runs LiveKit in multi-node mode over its Redis"
    http_port = free_tcp_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("LIVEKIT_") and name not in {"NODE_IP", "UDP_PORT", "REDIS_HOST", "REDIS_PASSWORD"}
    }
    env |= environment
    env |= {
        "LIVEKIT_PORT": str(http_port),
        "LIVEKIT_RTC_TCP_PORT": str(free_tcp_port()),
        "UDP_PORT": str(free_udp_port()),
        "REDIS_HOST": redis_address,
    }
    process = subprocess.Popen(
        [str(ensure_livekit_binary()), "--bind", "127.0.0.1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{http_port}/"
    finally:
        process.kill()  # nothing to drain; a graceful stop would take a second SIGTERM anyway
        process.wait()


def wait_for_ok(url: str, timeout: float = 20.0) -> str:
    """The body of the first successful GET of ``url``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
