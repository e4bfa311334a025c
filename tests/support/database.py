"""Test databases: one migrated template per run, one copy per xdist worker, emptied between tests."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import asyncpg

from procus.config import PROJECT_ROOT
from procus.migrate import migrate
from procus_devstack.embedded_postgres import EmbeddedPostgres, free_port

__all__ = [
    "TEMPLATE_DB",
    "build_template",
    "clone_template",
    "discard_test_server",
    "empty_database",
    "reset_tables",
    "start_test_server",
    "swap_database",
]

TEMPLATE_DB = "procus_template"
# Reference data that migrations seed: kept between tests.
KEEP_TABLES = frozenset({"schema_migrations", "categories"})


def swap_database(url: str, database: str) -> str:
    base, _, query = url.partition("?")
    server = base.rsplit("/", 1)[0]
    return f"{server}/{database}" + (f"?{query}" if query else "")


def start_test_server() -> tuple[str, EmbeddedPostgres | None]:
    """Return the URL of a server for this run: TEST_DATABASE_URL, or a fresh embedded one."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        return external, None
    root = Path(PROJECT_ROOT) / ".data"
    root.mkdir(exist_ok=True)
    server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="postgres-test-", dir=root)), free_port(), fast=True)
    return server.start(), server


def discard_test_server(server: EmbeddedPostgres) -> None:
    server.stop()
    shutil.rmtree(server.data_dir, ignore_errors=True)


async def _recreate(admin_url: str, database: str, template: str | None = None) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        suffix = f' TEMPLATE "{template}"' if template else ""
        await conn.execute(f'CREATE DATABASE "{database}"{suffix}')
    finally:
        await conn.close()


async def build_template(server_url: str) -> None:
    admin = swap_database(server_url, "postgres")
    await _recreate(admin, TEMPLATE_DB)
    migrate(swap_database(server_url, TEMPLATE_DB), PROJECT_ROOT / "migrations")


async def empty_database(server_url: str, name: str) -> str:
    """A new database with nothing in it (no migrations) on the test server: its URL."""
    await _recreate(swap_database(server_url, "postgres"), name)
    return swap_database(server_url, name)


async def clone_template(server_url: str, name: str) -> str:
    await _recreate(swap_database(server_url, "postgres"), name, TEMPLATE_DB)
    return swap_database(server_url, name)


TABLES_SQL = """
SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)
FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> ALL($1::text[])
"""


async def reset_tables(conn: asyncpg.Connection) -> None:  # type: ignore[type-arg]
    tables = [row[0] for row in await conn.fetch(TABLES_SQL, list(KEEP_TABLES))]
    if tables:
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
