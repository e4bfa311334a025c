"""Enqueue background jobs in the caller's transaction (a transactional outbox on pgqueuer's table).

A job enqueued here exists exactly when the business change that asked for it commits, so an email
or a payment release is never lost to a crash between "commit" and "enqueue", nor sent for a change
that rolled back. ``dedupe_key`` makes enqueueing idempotent while a job with that key is pending.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from pgqueuer.db import AsyncpgDriver
from pgqueuer.queries import Queries

from procus.store.db import Connection

__all__ = ["enqueue"]


async def enqueue(
    conn: Connection,
    entrypoint: str,
    payload: dict[str, Any],
    *,
    run_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
    dedupe_key: str | None = None,
    priority: int = 0,
) -> int | None:
    """Queue ``entrypoint`` with a JSON ``payload``; returns the job id, or None if deduplicated."""
    delay = None
    if run_at is not None:
        reference = now or dt.datetime.now(dt.UTC)
        delay = max(run_at - reference, dt.timedelta(0))
    ids = await Queries(AsyncpgDriver(conn)).enqueue(  # type: ignore[arg-type]
        entrypoint,
        msgspec.json.encode(payload),
        priority,
        execute_after=delay,
        dedupe_key=dedupe_key,
        on_conflict="skip",
    )
    return int(ids[0]) if ids and ids[0] is not None else None
