"""Servers we build from their Go modules into ``.bin/`` (livekit-server, the S3 server), the first
time they are needed.

``ensure_binary`` builds under a file lock, so parallel test workers and a dev runner starting at
once build one copy; ``go_install`` writes into a scratch GOBIN and renames into place, so a reader
never sees a half-written file.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["ensure_binary", "exclusive", "find_go", "go_install"]

_FALLBACK_GO = Path("/usr/local/go/bin/go")


def find_go(purpose: str) -> str:
    go = shutil.which("go") or (str(_FALLBACK_GO) if _FALLBACK_GO.exists() else None)
    if go is None:
        raise RuntimeError(f"building {purpose} needs Go (https://go.dev/dl/) on PATH")
    return go


def go_install(package: str, version: str, binary: Path, *, built_name: str | None = None) -> Path:
    """``go install package@version`` and move the result (named ``built_name``, by default the last
    element of ``package``) to ``binary``."""
    go = find_go(binary.name)
    binary.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=binary.parent, prefix=".gobin-") as gobin:
        subprocess.run([go, "install", f"{package}@{version}"], env={**os.environ, "GOBIN": gobin}, check=True)
        os.replace(Path(gobin) / (built_name or package.rsplit("/", 1)[-1]), binary)
    return binary


def ensure_binary(binary: Path, *, is_current: Callable[[Path], bool], build: Callable[[Path], object]) -> Path:
    """``binary``, built by ``build(binary)`` unless ``is_current(binary)``; one builder at a time."""
    if is_current(binary):
        return binary
    with exclusive(binary.parent / f".{binary.name}.lock"):
        if not is_current(binary):
            build(binary)
    return binary


@contextlib.contextmanager
def exclusive(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
