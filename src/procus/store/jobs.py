"""Enqueue background jobs in the caller's transaction (a transactional outbox on pgqueuer's table).

A job enqueued here exists exactly when the business change that asked for it commits, so an email
or a payment release is never lost to a crash between "commit" and "enqueue", nor sent for a change
that rolled back. ``dedupe_key`` makes enqueueing idempotent while a job with that key is pending.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

import msgspec

from procus.store.db import Connection

__all__ = ["JobKind", "enqueue"]

P = TypeVar("P", bound=msgspec.Struct)

# pgqueuer's own enqueue, for one job and in our transaction. It is spelled out here because
# pgqueuer's query passes headers as JSON text, which our connections' jsonb codec would re-encode;
# the ON CONFLICT predicate restates pgqueuer_unique_dedupe_key's so PostgreSQL picks that index.
ENQUEUE = """
WITH inserted AS (
    INSERT INTO pgqueuer AS job (priority, entrypoint, payload, execute_after, dedupe_key, status)
    VALUES ($1, $2, $3, NOW() + $4::interval, $5, 'queued')
    ON CONFLICT (dedupe_key) WHERE status IN ('queued', 'picked') AND dedupe_key IS NOT NULL DO NOTHING
    RETURNING id, entrypoint, priority
), logged AS (
    INSERT INTO pgqueuer_log (job_id, status, entrypoint, priority)
    SELECT id, 'queued', entrypoint, priority FROM inserted
)
SELECT id FROM inserted
"""


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
    """Queue ``entrypoint`` with a JSON ``payload``; returns the job id, or None if deduplicated.

    ``run_at`` is measured against ``now`` (the caller's clock) and applied as a delay to the
    database's clock, so a fake clock in tests still yields the intended wait.
    """
    delay = dt.timedelta(0)
    if run_at is not None:
        reference = now or dt.datetime.now(dt.UTC)
        delay = max(run_at - reference, dt.timedelta(0))
    job_id: int | None = await conn.fetchval(
        ENQUEUE, priority, entrypoint, msgspec.json.encode(payload), delay, dedupe_key
    )
    return job_id


class JobKind(Generic[P]):
    """A job's name and payload type, defined once beside the code that queues it.

    The worker's job module imports the same object to decode what it runs, so producer and
    consumer cannot disagree on the payload.
    """

    def __init__(self, name: str, payload: type[P]) -> None:
        self.name = name
        self.payload = payload
        self._decoder = msgspec.json.Decoder(payload)

    async def enqueue(
        self,
        conn: Connection,
        payload: P,
        *,
        run_at: dt.datetime | None = None,
        now: dt.datetime | None = None,
        dedupe_key: str | None = None,
    ) -> int | None:
        """:func:`enqueue` this job with ``payload``, in the caller's transaction."""
        return await enqueue(
            conn, self.name, msgspec.to_builtins(payload), run_at=run_at, now=now, dedupe_key=dedupe_key
        )

    def decode(self, raw: bytes) -> P:
        return self._decoder.decode(raw)
