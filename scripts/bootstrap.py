#!/usr/bin/env python3
"""Install the two tools everything else is run with (uv and just, both PyPI wheels) into .tools/,
then hand over to ``just <recipe>``. Needs only Python 3.11; safe to run again and again."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / ".tools"
PINS = ["uv==0.13.9", "rust-just==1.59.0"]


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
    os.execv(str(just), [str(just), *sys.argv[1:]])


if __name__ == "__main__":
    main()
