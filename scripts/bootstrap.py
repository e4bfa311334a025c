#!/usr/bin/env python3
"""Install the two tools everything else is run with (uv and just, both PyPI wheels) into .tools/,
then run ``just <recipe>``. Needs only Python 3.11; safe to run again and again.

``just`` runs in a process group of its own, and SIGINT, SIGTERM or SIGHUP sent to this process is
passed to that whole group: a supervisor or an IDE that signals only the PID it started stops the
recipe and everything it runs, not just a ``just`` that waits for children nobody signalled.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".tools"
PINS = ["uv==0.13.9", "rust-just==1.59.0"]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
KILL_AFTER_SECONDS = 15.0


def ensure_tools() -> Path:
    just = TOOLS / "bin" / "just"
    marker = TOOLS / "pins.txt"
    wanted = "\n".join(PINS)
    if just.exists() and marker.exists() and marker.read_text() == wanted:
        return just
    print(f"bootstrap: installing {', '.join(PINS)} into {TOOLS}", flush=True)
    venv.create(TOOLS, with_pip=True, clear=True)
    subprocess.check_call(
        [str(TOOLS / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *PINS]
    )
    marker.write_text(wanted)
    return just


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - run by whatever python3 the machine has
        sys.exit("ProcusMeet needs Python 3.11 or newer")
    just = ensure_tools()
    os.environ["PATH"] = f"{TOOLS / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")
    os.chdir(ROOT)
    sys.exit(run_group([str(just), *sys.argv[1:]]))


def run_group(argv: list[str]) -> int:
    """Run ``argv`` in a new session (its own process group), pass stop signals to the whole group,
    and kill the group if it is still there ``KILL_AFTER_SECONDS`` after the first one."""
    child = subprocess.Popen(argv, start_new_session=True)
    kill_at: float | None = None

    def forward(signum: int, _frame: object) -> None:
        nonlocal kill_at
        if kill_at is None:
            kill_at = time.monotonic() + KILL_AFTER_SECONDS
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, forward)
    while True:
        try:
            code = child.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            if kill_at is not None and time.monotonic() > kill_at:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
            continue
        return 128 - code if code < 0 else code


if __name__ == "__main__":
    main()
