"""Run ``procus serve`` and ``procus worker`` as real processes, configured exactly as a test's settings.

For what only a real process shows: signals, graceful shutdown, a process killed mid-job. Output
goes to a file (never a pipe a busy test could leave unread) and is returned for assertions.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import msgspec

from procus.config import PROJECT_ROOT, Settings
from tests.support.livekit_server import free_tcp_port
from tests.support.processes import procus_command, procus_environment

__all__ = ["RunningProcess", "procus_process", "settings_environment"]


def settings_environment(settings: Settings, **changes: str) -> dict[str, str]:
    """The environment under which ``load_settings()`` in a child process rebuilds ``settings``."""
    values: dict[str, str] = {}
    for name, value in msgspec.structs.asdict(settings).items():
        if isinstance(value, list):
            values[name.upper()] = ",".join(str(item) for item in value)
        elif isinstance(value, bool):
            values[name.upper()] = "true" if value else "false"
        elif value is not None:
            values[name.upper()] = str(value)
    return procus_environment({**values, **changes})


@dataclass
class RunningProcess:
    process: asyncio.subprocess.Process
    log: Path
    base_url: str = ""

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    async def wait(self, timeout: float) -> tuple[int, float]:
        """The exit code and the seconds it took to exit."""
        started = time.monotonic()
        code = await asyncio.wait_for(self.process.wait(), timeout)
        return code, time.monotonic() - started


@asynccontextmanager
async def procus_process(settings: Settings, command: str, *args: str, **env: str) -> AsyncIterator[RunningProcess]:
    """``procus <command> <args>`` under ``settings``; ``serve`` gets a free port and is awaited until
    /healthz answers. Killed on exit if still running."""
    if command == "serve":
        port = free_tcp_port()
        args = (*args, "--host", "127.0.0.1", "--port", str(port))
    with tempfile.NamedTemporaryFile("wb", prefix=f"procus-{command}-", suffix=".log", delete=False) as log:
        process = await asyncio.create_subprocess_exec(
            *procus_command(),
            command,
            *args,
            env=settings_environment(settings, **env),
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=log,
        )
    running = RunningProcess(process, Path(log.name))
    try:
        if command == "serve":
            running.base_url = f"http://127.0.0.1:{port}"
            await _until_healthy(running)
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        os.unlink(log.name)


async def _until_healthy(running: RunningProcess, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=running.base_url, timeout=2.0) as http:
        while time.monotonic() < deadline:
            if running.process.returncode is not None:
                raise RuntimeError(f"procus serve exited early:\n{running.output()}")
            try:
                if (await http.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"procus serve did not answer /healthz in {timeout} s:\n{running.output()}")
