"""scripts/bootstrap.py passes a stop signal sent to its own PID to everything the recipe runs.

A supervisor or an IDE signals only the process it started; with ``just`` exec'ed in its place the
signal stopped nothing (``just`` waits for children that never got it). The recipe here stands in
for ``dev``: a child that runs until it is told to stop.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from procus.config import PROJECT_ROOT

JUSTFILE = """\
hang pidfile:
    {python} -c "import os, sys, time; open(sys.argv[1], 'w').write(str(os.getpid())); time.sleep(120)" {{{{pidfile}}}}
"""


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's exit may wait for a reaper this test does not control)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.timeout(60)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_bootstrap_stops_the_recipe_and_its_children_within_seconds(
    tmp_path: Path, signum: signal.Signals
) -> None:
    (tmp_path / "justfile").write_text(JUSTFILE.format(python=sys.executable))
    pidfile = tmp_path / "child.pid"
    argv = [sys.executable, str(PROJECT_ROOT / "scripts" / "bootstrap.py"), "--justfile", str(tmp_path / "justfile")]
    argv += ["--working-directory", str(tmp_path), "hang", str(pidfile)]
    bootstrap = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not (pidfile.exists() and pidfile.read_text()):
            assert bootstrap.poll() is None, "bootstrap ended before the recipe started"
            assert time.monotonic() < deadline, "the recipe did not start"
            time.sleep(0.05)
        child = int(pidfile.read_text())

        started = time.monotonic()
        bootstrap.send_signal(signum)
        code = bootstrap.wait(timeout=10)
        stopped_after = time.monotonic() - started

        assert code != 0
        assert stopped_after < 5, f"took {stopped_after:.1f}s"
        assert _gone_within(child, 2), "the recipe's child outlived bootstrap"
    finally:
        if bootstrap.poll() is None:
            bootstrap.kill()
