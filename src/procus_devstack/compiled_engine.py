"""Compile the slot engine with mypyc into ``.build/engine/<key>/`` (see ``procus.compiled_engine``).

``just sync`` runs this after ``uv sync``, so every recipe sees a build of the current sources; when
that build exists it is a no-op. mypyc comes in the locked mypy wheel; what the machine must give is
a C compiler. Without one, or if the build fails, this says so and the engine runs interpreted:
nothing else depends on the build. Builds of older sources are removed.

Run as ``python -m procus_devstack.compiled_engine``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from procus.compiled_engine import BUILD_ROOT, MODULES, build_key, compiled_file, source_file
from procus_devstack.go_binaries import exclusive

__all__ = ["build", "compiler"]

_SETUP = """
import sys
from mypyc.build import mypycify
from setuptools import setup

target, temp, *sources = sys.argv[1:]
setup(
    name="procus-compiled-engine",
    ext_modules=mypycify(sources, opt_level="3", target_dir=temp),
    script_args=["build_ext", "--build-lib", target, "--build-temp", temp],
)
"""


def compiler() -> str | None:
    """The C compiler a build would use, if the machine has it."""
    command = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
    return shutil.which(command[0]) if command else None


def build() -> Path | None:
    """The build of the current sources, compiled now if missing; None when it cannot be built."""
    target = BUILD_ROOT / build_key()
    if all(compiled_file(target, module).is_file() for module in MODULES):
        return target
    if compiler() is None:
        print("compiled engine: no C compiler found, so the slot engine runs interpreted", flush=True)
        return None
    BUILD_ROOT.mkdir(parents=True, exist_ok=True)
    with exclusive(BUILD_ROOT / ".lock"):
        if all(compiled_file(target, module).is_file() for module in MODULES):
            return target
        with tempfile.TemporaryDirectory(dir=BUILD_ROOT, prefix=".building-") as scratch:
            staged, temp = Path(scratch) / "out", Path(scratch) / "temp"
            sources = [str(source_file(module)) for module in MODULES]
            done = subprocess.run(
                [sys.executable, "-c", _SETUP, str(staged), str(temp), *sources],
                cwd=source_file(MODULES[0]).parents[2],
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                print(done.stdout[-4000:], done.stderr[-4000:], sep="\n", file=sys.stderr)
                print("compiled engine: mypyc failed (above), so the slot engine runs interpreted", flush=True)
                return None
            for old in BUILD_ROOT.iterdir():
                if not old.name.startswith("."):
                    shutil.rmtree(old, ignore_errors=True)
            os.replace(staged, target)
    print(f"compiled engine: built {', '.join(MODULES)} with mypyc", flush=True)
    return target


if __name__ == "__main__":
    build()
