"""Servers that tests run as child processes: starting on free ports with retries, stopping, their logs,
and how a ``procus`` process is launched (its command and environment)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

from procus.config import Settings

__all__ = ["log_tail", "procus_command", "procus_environment", "start_on_free_ports", "stop_processes"]

_SETTING_NAMES = frozenset(name.upper() for name in Settings.__struct_fields__)

T = TypeVar("T")
START_ATTEMPTS = 3


def start_on_free_ports(start: Callable[[int], T], attempts: int = START_ATTEMPTS) -> T:
    """``start(attempt)`` until it succeeds: a port found free may be taken before the server binds
    it, so a start that fails (RuntimeError, TimeoutError) is tried again on new ports."""
    for attempt in range(1, attempts + 1):
        try:
            return start(attempt)
        except (RuntimeError, TimeoutError):
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")


def stop_processes(*processes: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """SIGTERM (graceful) to all at once, then SIGKILL to any still running ``timeout`` seconds later."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for process in running:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def procus_command() -> list[str]:
    """The ``procus`` console script of this environment (what the container runs)."""
    script = Path(sys.executable).with_name("procus")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from procus.cli import main; sys.exit(main())"]


def procus_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without any app setting of ours, plus ``settings``: what a fresh
    ``procus`` process sees, whatever the developer has exported."""
    env = {name: value for name, value in os.environ.items() if name not in _SETTING_NAMES}
    env.update(settings)
    return env
