"""The pinned livekit-server binary at ``.bin/livekit-server``, built from source with Go when missing.

Shared by the dev runner, the test suite and ``just livekit``: ``ensure_livekit_binary()`` returns
the path, building (once, under a file lock) if the binary is absent or another version.
``python -m procus_devstack.livekit_binary`` does the same from the command line.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

from procus.config import PROJECT_ROOT
from procus_devstack.go_binaries import ensure_binary, go_install

__all__ = [
    "LIVEKIT_SERVER_VERSION",
    "build_livekit_binary",
    "ensure_livekit_binary",
    "installed_version",
    "livekit_binary_path",
]

LIVEKIT_SERVER_VERSION = "1.13.5"
_GO_PACKAGE = "github.com/livekit/livekit-server/cmd/server"


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
    return go_install(_GO_PACKAGE, f"v{version}", binary)


def ensure_livekit_binary(root: Path = PROJECT_ROOT, version: str = LIVEKIT_SERVER_VERSION) -> Path:
    return ensure_binary(
        livekit_binary_path(root),
        is_current=lambda binary: installed_version(binary) == version,
        build=functools.partial(build_livekit_binary, version=version),
    )


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
