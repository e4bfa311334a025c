"""Every route the app serves, in one list."""

from __future__ import annotations

from typing import Any

from procus.config import Settings
from procus.handlers.health import HealthController

__all__ = ["route_handlers"]


def route_handlers(settings: Settings) -> list[Any]:
    handlers: list[Any] = [HealthController]
    return handlers
