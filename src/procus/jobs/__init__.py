"""Background jobs: one module per concern, each declaring ``ENTRYPOINTS`` and/or ``SCHEDULES``.

The worker (``procus worker``) runs every entrypoint and schedule of every module in this package;
a new module is picked up without being listed anywhere. See :mod:`procus.jobs.registry`.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from procus.jobs.registry import Entrypoint, JobRun, RetryPolicy, Schedule

__all__ = ["Entrypoint", "JobRun", "RetryPolicy", "Schedule", "all_entrypoints", "all_schedules"]


def _modules() -> list[object]:
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if info.name != "registry")
    return [importlib.import_module(f"{__name__}.{name}") for name in names]


def all_entrypoints() -> list[Entrypoint[Any]]:
    found: list[Entrypoint[Any]] = [spec for module in _modules() for spec in getattr(module, "ENTRYPOINTS", ())]
    _unique([spec.name for spec in found], "entrypoint")
    return found


def all_schedules() -> list[Schedule[Any]]:
    found: list[Schedule[Any]] = [spec for module in _modules() for spec in getattr(module, "SCHEDULES", ())]
    _unique([spec.name for spec in found], "schedule")
    return found


def _unique(names: list[str], what: str) -> None:
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise RuntimeError(f"{what} names must be unique: {', '.join(duplicates)}")
