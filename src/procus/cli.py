"""`procus` command line: migrate | serve | worker | create-admin | ledger verify | backup | restore | openapi.

Every command needs ``DATABASE_URL``. In development ``python -m procus_devstack <command>`` runs
the same commands on an embedded PostgreSQL, and ``python -m procus_devstack dev`` runs everything.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from procus.config import NO_DATABASE, Settings, get_settings

__all__ = ["main"]


def _settings_with_database() -> Settings:
    settings = get_settings()
    if not settings.database_url:
        raise SystemExit(NO_DATABASE)
    return settings


def cmd_migrate(args: argparse.Namespace) -> int:
    from procus.migrate import migrate

    settings = _settings_with_database()
    print(migrate(settings.database_url, settings.migrations_dir, command=args.action), end="")
    return 0


def _stopped_as_asked(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def cmd_serve(args: argparse.Namespace) -> int:
    settings = _settings_with_database()
    os.environ["DATABASE_URL"] = settings.database_url
    # uvicorn drains on SIGTERM and then re-raises it under the handler it found: make that an
    # orderly exit with status 0, so an orchestrator sees a requested stop, not a crash.
    previous = signal.signal(signal.SIGTERM, _stopped_as_asked)
    try:
        _run_uvicorn(args)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _run_uvicorn(args: argparse.Namespace) -> None:
    import uvicorn

    from procus.app.server import uvicorn_options

    uvicorn.run(
        "procus.app:create_server_app",
        factory=True,
        host=args.host,
        port=args.port,
        reload=args.reload,
        reload_dirs=args.reload_dir or None,
        workers=None if args.reload else args.workers,
        proxy_headers=False,  # the app decides the caller's address (app/middleware/client_address.py)
        access_log=False,
        **uvicorn_options(),
    )


def cmd_worker(args: argparse.Namespace) -> int:
    import asyncio

    from procus.app.logging import configure_logging
    from procus.worker import run_worker

    settings = _settings_with_database()
    configure_logging(settings.log_level, json=settings.log_json)
    asyncio.run(run_worker(settings))
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    import asyncio
    import getpass
    import secrets

    from procus.bootstrap import Container

    password = os.environ.get("PROCUS_ADMIN_PASSWORD") or ""
    generated = False
    if not password and sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.email}: ")
    if not password:
        password, generated = secrets.token_urlsafe(18), True

    async def create() -> str:
        container = await Container.create(_settings_with_database())
        try:
            user = await container.accounts.create_admin(args.email, password, args.name)
        finally:
            await container.close()
        return str(user.id)

    user_id = asyncio.run(create())
    print(f"admin {args.email} ready (id {user_id})")
    if generated:
        print(f"generated password (shown once): {password}")
    return 0


def cmd_ledger_verify(args: argparse.Namespace) -> int:
    """Exit 1 and list every discrepancy unless the ledger balances and agrees with payments and payouts."""
    import asyncio

    from procus.services.payments import LedgerAuditor
    from procus.store.db import Database

    async def verify() -> list[str]:
        db = await Database.connect(_settings_with_database().database_url, max_size=2)
        try:
            return await LedgerAuditor(db).verify()
        finally:
            await db.close()

    problems = asyncio.run(verify())
    for problem in problems:
        print(problem)
    print(f"ledger: {len(problems)} discrepancies" if problems else "ledger: balanced and consistent")
    return 1 if problems else 0


def cmd_backup(args: argparse.Namespace) -> int:
    from procus.backup import backup

    backup(_settings_with_database().database_url, Path(args.file))
    print(f"backed up to {args.file}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Into an empty database only (create it, point DATABASE_URL at it); then ``procus ledger verify``."""
    from procus.backup import restore

    restore(_settings_with_database().database_url, Path(args.file))
    print(f"restored {args.file}; check it with: procus ledger verify")
    return 0


def cmd_openapi(args: argparse.Namespace) -> int:
    """Write the API's OpenAPI document without starting a server (the SPA's client is generated from it)."""
    from procus.app import openapi_document

    document = openapi_document()
    if args.output == "-":
        sys.stdout.write(document)
    else:
        with open(args.output, "w", encoding="utf-8") as out:
            out.write(document)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="procus", description="ProcusMeet")
    sub = parser.add_subparsers(dest="command", required=True)

    migrate = sub.add_parser("migrate", help="apply pending database migrations (dbmate)")
    migrate.add_argument("action", nargs="?", default="up", choices=["up", "status", "rollback"])
    migrate.set_defaults(func=cmd_migrate)

    serve = sub.add_parser("serve", help="run the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--reload", action="store_true")
    serve.add_argument("--reload-dir", action="append", help="with --reload: a directory to watch (repeatable)")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="run background jobs and scheduled sweeps until SIGTERM/SIGINT")
    worker.set_defaults(func=cmd_worker)

    admin = sub.add_parser("create-admin", help="create the first admin (or promote an account)")
    admin.add_argument("email")
    admin.add_argument("--name", default="Administrator")
    admin.set_defaults(func=cmd_create_admin)

    openapi = sub.add_parser("openapi", help="write the OpenAPI document (JSON) without starting a server")
    openapi.add_argument("--output", "-o", default="-", help="file to write; '-' (the default) is stdout")
    openapi.set_defaults(func=cmd_openapi)

    ledger = sub.add_parser("ledger", help="money checks")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", required=True)
    ledger_sub.add_parser("verify", help="prove every entry balances and the ledger agrees with payments").set_defaults(
        func=cmd_ledger_verify
    )
    backup = sub.add_parser("backup", help="write the database to FILE (pg_dump custom format)")
    backup.add_argument("file")
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="load FILE (from backup) into the empty database at DATABASE_URL")
    restore.add_argument("file")
    restore.set_defaults(func=cmd_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
