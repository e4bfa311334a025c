"""What the worker tells operators about each job and sweep it runs: one log line and two metrics.

Every run logs its name, outcome (``done``, ``retry``, ``failed``) and duration as structured fields
and counts in ``procus_jobs_total`` / ``procus_job_duration_seconds``, which ``procus worker`` serves
on ``WORKER_METRICS_PORT`` (each worker its own registry, so several in one process never collide).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["JobMetrics", "Outcome"]

Outcome = Literal["done", "retry", "failed"]
log = logging.getLogger("procus.worker")


class JobMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.runs = Counter(
            "procus_jobs",
            "Jobs and sweeps run, by name, kind and outcome",
            ["job", "kind", "outcome"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "procus_job_duration_seconds",
            "How long jobs and sweeps ran",
            ["job", "kind"],
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
            registry=self.registry,
        )

    async def observe(
        self, name: str, kind: Literal["job", "sweep"], run: Callable[[], Awaitable[Outcome]], **fields: object
    ) -> Outcome:
        """Run ``run`` (which says how it went, or raises: ``failed``), then log and count it."""
        started = time.perf_counter()
        outcome: Outcome = "failed"
        try:
            outcome = await run()
            return outcome
        finally:
            seconds = time.perf_counter() - started
            self.runs.labels(name, kind, outcome).inc()
            self.duration.labels(name, kind).observe(seconds)
            level = logging.INFO if outcome == "done" else logging.WARNING
            extra = {"job": name, "kind": kind, "outcome": outcome, "duration_ms": round(seconds * 1000, 1), **fields}
            log.log(level, "%s %s %s", kind, name, outcome, extra=extra)
