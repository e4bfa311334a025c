"""Every route the app serves, in one list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from procus.config import Settings
from procus.handlers.admin_users import AdminUsersController
from procus.handlers.auth import AuthController
from procus.handlers.health import HealthController
from procus.handlers.me import MeController
from procus.handlers.spa import spa_handler

__all__ = ["route_handlers"]


def route_handlers(settings: Settings) -> list[Any]:
    handlers: list[Any] = [HealthController, AuthController, MeController, AdminUsersController]
    dist = Path(settings.spa_dist_dir)
    if (dist / "index.html").is_file():
        handlers.append(spa_handler(dist))
    return handlers
