"""``python -m procus_devstack <command>``: procus commands on the embedded PostgreSQL.

``migrate status`` and ``rollback`` do what they say there (they used to migrate up and report
success whatever was asked), the DSN is printed, and ``procus`` itself refuses to run without a
``DATABASE_URL`` instead of reaching for the development stand-ins.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from procus.config import NO_DATABASE, PROJECT_ROOT
from procus.migrate import available_migrations
from procus_devstack.dev_database import PORT_VARIABLE
from procus_devstack.embedded_postgres import EmbeddedPostgres, free_port


@pytest.fixture
def dev_env() -> Iterator[dict[str, str]]:
    root = PROJECT_ROOT / ".data"
    root.mkdir(exist_ok=True)
    data_dir = Path(tempfile.mkdtemp(prefix="devstack-cli-", dir=root))
    port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data_dir),
        "DATABASE_URL": "",
        "APP_ENV": "development",
        PORT_VARIABLE: str(port),
    }
    yield env
    EmbeddedPostgres(data_dir / "postgres", port).stop()
    shutil.rmtree(data_dir, ignore_errors=True)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False, cwd=PROJECT_ROOT
    )


@pytest.mark.timeout(240)
def test_migrate_up_status_and_rollback_act_on_the_embedded_database(dev_env: dict[str, str]) -> None:
    versions = available_migrations(PROJECT_ROOT / "migrations")
    dsn = f"postgresql://postgres@127.0.0.1:{dev_env[PORT_VARIABLE]}/procus"

    up = _run(dev_env, "-m", "procus_devstack", "migrate")
    assert up.returncode == 0, up.stderr
    assert dsn in up.stdout, "the embedded database's DSN is printed"

    status = _run(dev_env, "-m", "procus_devstack", "migrate", "status")
    assert status.returncode == 0, status.stderr
    assert f"Applied: {len(versions)}" in status.stdout
    assert "Pending: 0" in status.stdout

    rollback = _run(dev_env, "-m", "procus_devstack", "migrate", "rollback")
    assert rollback.returncode == 0, rollback.stderr
    assert f"Rolled back: {versions[-1]}" in rollback.stdout
    after = _run(dev_env, "-m", "procus_devstack", "migrate", "status")
    assert "Pending: 1" in after.stdout, after.stdout


def test_procus_needs_a_database_url(dev_env: dict[str, str]) -> None:
    refused = _run(dev_env, "-m", "procus.cli", "migrate", "status")
    assert refused.returncode != 0
    assert NO_DATABASE in refused.stderr
    assert not (Path(dev_env["DATA_DIR"]) / "postgres").exists(), "procus started no database of its own"
