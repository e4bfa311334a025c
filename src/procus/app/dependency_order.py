"""Resolve a handler's dependencies one after another instead of in an anyio task group.

Litestar resolves the dependencies of one level of a handler's graph concurrently: whenever a
level holds two or more (a service and ``optional_principal``, say, on nearly every route), each
request opens an anyio task group and spawns a task per dependency. Ours are a dictionary lookup
(services) or at most one query (the principal), so running them concurrently gains nothing,
while the task group cost about 45 us of CPU per request of GET /slots (8% of the app's own
work, measured with ``bench/slots_profile.py``). Order within a level does not matter: a level
only holds dependencies that do not depend on each other. A provider's exception now propagates
as itself, which is also what Litestar's version re-raises from the exception group.
"""

from __future__ import annotations

from typing import Any

from litestar._kwargs.cleanup import DependencyCleanupGroup
from litestar._kwargs.dependencies import resolve_dependency
from litestar._kwargs.kwargs_model import KwargsModel
from litestar.connection import ASGIConnection

__all__ = ["resolve_dependencies_in_order"]


async def _in_order(self: KwargsModel, connection: ASGIConnection[Any, Any, Any, Any], kwargs: dict[str, Any]) -> Any:
    cleanup_group = DependencyCleanupGroup()
    for batch in self.dependency_batches:
        for dependency in batch:
            await resolve_dependency(dependency, connection, kwargs, cleanup_group)
    return cleanup_group


def resolve_dependencies_in_order() -> None:
    """Install the sequential resolver (idempotent; the app factory calls it)."""
    KwargsModel.resolve_dependencies = _in_order  # type: ignore[method-assign]


def installed() -> bool:
    return KwargsModel.resolve_dependencies is _in_order
