"""``python -m procus_devstack <command>``: the ``procus`` command in development.

``dev`` runs the whole stack (:mod:`procus_devstack.stack`). Any other command is ``procus
<command>``; when ``DATABASE_URL`` is unset it first starts the embedded PostgreSQL under
``.data/postgres`` (migrated, except for ``migrate`` itself, which then does what it was asked:
``up``, ``status`` or ``rollback``) and points ``DATABASE_URL`` at it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from procus import cli
from procus.config import get_settings
from procus_devstack.dev_database import ensure_dev_database

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["dev"]:
        return _dev(args[1:])
    settings = get_settings()
    if not settings.database_url and not {"-h", "--help"} & set(args):
        settings = ensure_dev_database(settings, migrated=args[:1] != ["migrate"])
        os.environ["DATABASE_URL"] = settings.database_url
        get_settings.cache_clear()
    return cli.main(args)


def _dev(argv: Sequence[str]) -> int:
    from procus_devstack.stack import run_dev

    parser = argparse.ArgumentParser(
        prog="python -m procus_devstack dev",
        description="Run the whole app locally: API, worker, embedded PostgreSQL and the stand-ins.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-spa-watch", dest="watch_spa", action="store_false", help="serve frontend/dist as built")
    args = parser.parse_args(argv)
    return run_dev(get_settings(), host=args.host, port=args.port, watch_spa=args.watch_spa)


if __name__ == "__main__":
    sys.exit(main())
