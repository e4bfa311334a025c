"""Dependency providers: hand each handler the one service it calls, from the app's container."""

from __future__ import annotations

from litestar.datastructures import State
from litestar.di import Provide

from procus.bootstrap import Container
from procus.services.health import ReadinessService

__all__ = ["dependencies"]


def _container(state: State) -> Container:
    container: Container = state.container
    return container


def provide_readiness_service(state: State) -> ReadinessService:
    return _container(state).readiness


dependencies = {
    "readiness_service": Provide(provide_readiness_service, sync_to_thread=False),
}
