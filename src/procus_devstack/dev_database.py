"""The development database: an embedded PostgreSQL under .data/, used when DATABASE_URL is unset.

It listens on 127.0.0.1:54320, or on ``PROCUS_DEV_DB_PORT`` (tests run a second one beside yours).
"""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from procus.config import Settings
from procus.migrate import migrate
from procus_devstack.embedded_postgres import EmbeddedPostgres

__all__ = ["DEV_DB_PORT", "dev_database_server", "ensure_dev_database"]

DEV_DB_PORT = 54320
PORT_VARIABLE = "PROCUS_DEV_DB_PORT"
DEV_DB_NAME = "procus"


def dev_database_server(settings: Settings) -> EmbeddedPostgres:
    return EmbeddedPostgres(Path(settings.data_dir) / "postgres", int(os.environ.get(PORT_VARIABLE) or DEV_DB_PORT))


def ensure_dev_database(settings: Settings, *, migrated: bool = True) -> Settings:
    """Start (or reuse) the embedded server, migrate it unless ``migrated`` is False, and return
    settings that point at it. Prints the DSN, so a newcomer can point psql or a GUI at it."""
    if settings.is_production:
        raise RuntimeError("DATABASE_URL is required in production")
    server = dev_database_server(settings)
    server.start()
    url = server.database_url(DEV_DB_NAME)
    print(f"embedded PostgreSQL: {url}  (data in {server.data_dir})", flush=True)
    if migrated:
        migrate(url, settings.migrations_dir)
    return msgspec.structs.replace(settings, database_url=url)
