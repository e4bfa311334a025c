"""How a job module declares what the worker runs: queued entrypoints and cron schedules.

A job function gets the one service it calls (named by its class; the worker finds the instance
``bootstrap.Container`` holds, so a wrong name fails type checking) and the job; it decodes the
payload with the producer's :class:`~procus.store.jobs.JobKind` and calls ONE service method.
Jobs must be idempotent: a job runs again after a crash, a lost heartbeat or a retry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import msgspec

__all__ = ["Entrypoint", "JobRun", "RetryPolicy", "Schedule"]

S = TypeVar("S")


class JobRun(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    """Stable across retries of this job."""
    attempts: int
    """Earlier failed attempts: 0 on the first run."""
    payload: bytes


class RetryPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """Exponential backoff: ``first_delay * factor**attempts``, capped; ``max_attempts`` runs in all."""

    max_attempts: int = 8
    first_delay: dt.timedelta = dt.timedelta(seconds=10)
    max_delay: dt.timedelta = dt.timedelta(hours=1)
    factor: float = 3.0

    def delay(self, attempts: int) -> dt.timedelta:
        return min(self.first_delay * self.factor**attempts, self.max_delay)

    def gives_up(self, attempts: int) -> bool:
        """True when the run that just failed (after ``attempts`` earlier failures) was the last allowed."""
        return attempts + 1 >= self.max_attempts


class Entrypoint(msgspec.Struct, Generic[S], frozen=True, kw_only=True):
    """A queued job: ``JobKind(name, ...).enqueue(tx, payload)`` runs ``run(service, job)``.

    Failures retry per ``retry``, except permanent domain errors (anything but ``ServiceUnavailable``
    and ``RateLimited``), which fail at once. A job that gives up stays in the queue table with
    status 'failed' for an operator to inspect and requeue.
    """

    name: str
    service: type[S]
    run: Callable[[S, JobRun], Awaitable[None]]
    retry: RetryPolicy = RetryPolicy()
    concurrency_limit: int = 0
    """At most this many at once across all workers; 0 = no limit."""


class Schedule(msgspec.Struct, Generic[S], frozen=True, kw_only=True):
    """A periodic sweep: ``run(service)`` on the cron expression (UTC), by one worker at a time."""

    name: str
    cron: str
    service: type[S]
    run: Callable[[S], Awaitable[None]]
