"""The slot engine compiled: serve ``procus.domain.slots`` and ``procus.domain.wallclock`` from a
mypyc build of exactly these sources when there is one.

The engine (interval arithmetic over open hours and busy time) is the one part of a slot list that
is all our own Python, and the part the benchmark's bare endpoint does not do. mypyc compiles the
same source to C, which runs it in about two thirds of the CPU time (bench/README.md). ``just
sync`` builds it (``procus_devstack.compiled_engine``) into ``.build/engine/<key>/``, the key a
digest of the two sources and of the interpreter's extension suffix, so an edited source or another
Python never meets a stale build. Without a matching build (no C compiler, a Docker image, a source
edited since the last sync) the modules load from source as usual: the same code, interpreted.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

__all__ = [
    "BUILD_ROOT",
    "INTERPRETED_ENV",
    "MODULES",
    "active",
    "build_key",
    "compiled_file",
    "install",
    "source_file",
]

MODULES = ("procus.domain.wallclock", "procus.domain.slots")
"""What is compiled, each module after the ones it imports."""
_SOURCES = Path(__file__).resolve().parent.parent
BUILD_ROOT = _SOURCES.parent / ".build" / "engine"
_SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]
INTERPRETED_ENV = "PROCUS_INTERPRETED_ENGINE"
"""Set (to anything) to run the engine interpreted even when a build exists, e.g. to compare."""


def source_file(module: str) -> Path:
    return _SOURCES.joinpath(*module.split(".")).with_suffix(".py")


def build_key() -> str:
    digest = hashlib.sha256(_SUFFIX.encode())
    for module in MODULES:
        digest.update(source_file(module).read_bytes())
    return digest.hexdigest()[:24]


def compiled_file(directory: Path, module: str) -> Path:
    """Where a build puts ``module``'s extension (setuptools lays it out by package)."""
    return directory.joinpath(*module.split(".")).with_suffix(_SUFFIX)


class _CompiledModules(importlib.abc.MetaPathFinder):
    def __init__(self, files: dict[str, Path]) -> None:
        self._files = files

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        file = self._files.get(fullname)
        return importlib.util.spec_from_file_location(fullname, file) if file is not None else None


def install() -> bool:
    """Import the engine's modules from the build of these sources, if there is one (and it is not
    turned off with ``PROCUS_INTERPRETED_ENGINE``); whether it will. Called by ``procus/__init__``."""
    if os.environ.get(INTERPRETED_ENV) or not BUILD_ROOT.is_dir():
        return False
    directory = BUILD_ROOT / build_key()
    files = {module: compiled_file(directory, module) for module in MODULES}
    if not all(file.is_file() for file in files.values()):
        return False
    # mypyc puts the compiled code of both modules in one shared library, a top-level module there.
    sys.path.append(str(directory))
    sys.meta_path.insert(0, _CompiledModules(files))
    return True


def active() -> bool:
    """Whether the engine imported so far is the compiled one."""
    return all(str(getattr(sys.modules.get(module), "__file__", "")).endswith(_SUFFIX) for module in MODULES)
