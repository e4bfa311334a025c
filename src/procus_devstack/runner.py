"""Run several processes as one: prefixed, coloured output, and a clean shutdown of all on Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

import msgspec

__all__ = ["ProcessSpec", "run_all"]

_COLOURS = ["36", "35", "33", "32", "34", "31", "96", "95"]


class ProcessSpec(msgspec.Struct, frozen=True):
    name: str
    argv: list[str]
    env: dict[str, str] = {}
    cwd: str | None = None


def _pump(name: str, colour: str, width: int, stream: object, lock: threading.Lock) -> None:
    prefix = f"\x1b[{colour}m{name.ljust(width)} |\x1b[0m " if sys.stdout.isatty() else f"{name.ljust(width)} | "
    for raw in iter(stream.readline, b""):  # type: ignore[attr-defined]
        line = raw.decode(errors="replace").rstrip("\n")
        with lock:
            sys.stdout.write(prefix + line + "\n")
            sys.stdout.flush()


def run_all(specs: Sequence[ProcessSpec], *, grace_seconds: float = 10.0) -> int:
    """Start every process; when one exits or we get SIGINT/SIGTERM, stop them all. Returns an exit code."""
    width = max(len(s.name) for s in specs)
    lock = threading.Lock()
    procs: list[tuple[ProcessSpec, subprocess.Popen[bytes]]] = []
    # A plain flag, not a threading.Event: Event.set() from a signal handler can deadlock when the
    # signal lands while the main thread holds the Event's lock inside wait(), and then neither
    # Ctrl-C nor SIGTERM ever stops the stack.
    stop_requested: list[int] = []

    def request_stop(signum: int, _frame: object) -> None:
        stop_requested.append(signum)

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    for index, spec in enumerate(specs):
        proc = subprocess.Popen(
            spec.argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **spec.env},
            cwd=spec.cwd,
            start_new_session=True,
        )
        procs.append((spec, proc))
        colour = _COLOURS[index % len(_COLOURS)]
        threading.Thread(target=_pump, args=(spec.name, colour, width, proc.stdout, lock), daemon=True).start()

    exit_code = 0
    while not stop_requested:
        for spec, proc in procs:
            code = proc.poll()
            if code is not None:
                with lock:
                    print(f"{spec.name} exited with {code}; stopping everything", flush=True)
                exit_code = code or 1
                stop_requested.append(0)
                break
        time.sleep(0.3)
    _stop_all(procs, grace_seconds, lock)
    return exit_code


def _stop_all(procs: list[tuple[ProcessSpec, subprocess.Popen[bytes]]], grace: float, lock: threading.Lock) -> None:
    for _, proc in procs:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for spec, proc in procs:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with lock:
                print(f"{spec.name} did not stop in time; killing it", flush=True)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with lock:
        print("all processes stopped", flush=True)
