"""The pinned livekit-server binary at ``.bin/livekit-server``, built from source with Go when missing.

Shared by the dev runner, the test suite and ``just livekit``: ``ensure_livekit_binary()`` returns
the path, building (once, under a file lock) if the binary is absent or another version.
``python -m procus.devstack.livekit_binary`` does the same from the command line.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from procus.config import PROJECT_ROOT

__all__ = [
    "LIVEKIT_SERVER_VERSION",
    "build_livekit_binary",
    "ensure_livekit_binary",
    "installed_version",
    "livekit_binary_path",
]

LIVEKIT_SERVER_VERSION = "1.13.5"
_GO_PACKAGE = "github.com/livekit/livekit-server/cmd/server"
_FALLBACK_GO = Path("/usr/local/go/bin/go")


def livekit_binary_path(root: Path = PROJECT_ROOT) -> Path:
    return root / ".bin" / "livekit-server"


def installed_version(binary: Path) -> str | None:
    """The version the binary reports (``livekit-server version 1.13.5``), or None if it will not run."""
    if not binary.is_file():
        return None
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    words = out.split()
    return words[-1] if words else None


def build_livekit_binary(binary: Path, version: str = LIVEKIT_SERVER_VERSION) -> Path:
    """``go install`` the server into a scratch GOBIN next to ``binary``, then move it into place
    atomically, so a concurrent reader never sees a half-written file."""
    go = shutil.which("go") or (str(_FALLBACK_GO) if _FALLBACK_GO.exists() else None)
    if go is None:
        raise RuntimeError("building livekit-server needs Go (https://go.dev/dl/) on PATH")
    binary.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=binary.parent, prefix=".gobin-") as gobin:
        subprocess.run(
            [go, "install", f"{_GO_PACKAGE}@v{version}"],
            env={**os.environ, "GOBIN": gobin},
            check=True,
        )
        os.replace(Path(gobin) / "server", binary)
    return binary


def ensure_livekit_binary(root: Path = PROJECT_ROOT, version: str = LIVEKIT_SERVER_VERSION) -> Path:
    binary = livekit_binary_path(root)
    if installed_version(binary) == version:
        return binary
    with _exclusive(binary.parent / ".livekit-server.lock"):
        if installed_version(binary) != version:
            build_livekit_binary(binary, version)
    return binary


@contextlib.contextmanager
def _exclusive(lock_path: Path) -> Iterator[None]:
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main() -> int:
    try:
        binary = ensure_livekit_binary()
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        print(f"could not build livekit-server: {exc}", file=sys.stderr)
        return 1
    print(binary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
