"""The worker process: pgqueuer running the jobs of :mod:`procus.jobs` with the Container's services.

pgqueuer gives the guarantees the jobs build on: a job is picked by one worker at a time
(``FOR UPDATE SKIP LOCKED``); a running job heartbeats, and a job whose worker died (no heartbeat
for ``heartbeat_timeout``) is picked again; a retried job keeps its id and counts its attempts;
a cron schedule runs on one worker at a time. pgqueuer gets a small pool of its own, without the
app's JSON codecs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import asyncpg
from pgqueuer import Job, PgQueuer, RetryRequested
from pgqueuer.models import Schedule as CronRun
from pgqueuer.types import QueueExecutionMode
from prometheus_client import start_http_server

from procus.bootstrap import Container, Integrations
from procus.config import Settings
from procus.domain.errors import DomainError, RateLimited, ServiceUnavailable
from procus.jobs import Entrypoint, JobRun, Schedule, all_entrypoints, all_schedules
from procus.worker.metrics import JobMetrics, Outcome

__all__ = ["Worker", "run_worker"]

log = logging.getLogger("procus.worker")


class Worker:
    """Runs ``entrypoints`` and ``schedules`` (default: all of :mod:`procus.jobs`) against ``container``.

    ``batch_size`` jobs are picked per dequeue; ``max_running`` caps this worker's running jobs
    (pgqueuer wants at least twice the batch size; None = no cap). A job whose heartbeat is older
    than ``heartbeat_timeout`` is considered abandoned and picked again.
    """

    def __init__(
        self,
        container: Container,
        *,
        entrypoints: Sequence[Entrypoint[Any]] | None = None,
        schedules: Sequence[Schedule[Any]] | None = None,
        batch_size: int = 10,
        max_running: int | None = None,
        heartbeat_timeout: dt.timedelta = dt.timedelta(seconds=30),
        dequeue_timeout: dt.timedelta = dt.timedelta(seconds=10),
    ) -> None:
        self._container = container
        self._entrypoints = list(all_entrypoints() if entrypoints is None else entrypoints)
        self._schedules = list(all_schedules() if schedules is None else schedules)
        self._batch_size = batch_size
        self._max_running = max_running
        self._heartbeat_timeout = heartbeat_timeout
        self._dequeue_timeout = dequeue_timeout
        self._queue: PgQueuer | None = None
        self._stopping = False
        self.metrics = JobMetrics()

    async def run(self, *, drain: bool = False) -> None:
        """Run jobs until :meth:`stop` (or, with ``drain``, until no job is queued); running jobs finish."""
        jobs = {spec.name: (spec, self._container.service(spec.service)) for spec in self._entrypoints}
        sweeps = [(spec, self._container.service(spec.service)) for spec in self._schedules]
        pool = await asyncpg.create_pool(
            self._container.settings.database_url,
            min_size=1,
            max_size=4,
            server_settings={"application_name": "procus-worker"},
        )
        try:
            queue = PgQueuer.from_asyncpg_pool(pool)
            for spec, service in jobs.values():
                queue.entrypoint(
                    spec.name, concurrency_limit=spec.concurrency_limit, accepts_context=False, on_failure="hold"
                )(_job_handler(spec, service, self.metrics))
            for sweep, service in sweeps:
                queue.schedule(sweep.name, sweep.cron, accepts_context=False)(
                    _schedule_handler(sweep, service, self.metrics)
                )
            self._queue = queue
            if self._stopping:
                return
            log.info("worker running", extra={"jobs": sorted(jobs), "schedules": [spec.name for spec, _ in sweeps]})
            await queue.run(
                batch_size=self._batch_size,
                max_concurrent_tasks=self._max_running,
                mode=QueueExecutionMode.drain if drain else QueueExecutionMode.continuous,
                dequeue_timeout=self._dequeue_timeout,
                heartbeat_timeout=self._heartbeat_timeout,
            )
        finally:
            self._queue = None
            await pool.close()

    def stop(self) -> None:
        """Stop taking jobs; :meth:`run` returns once the running ones are done."""
        self._stopping = True
        if self._queue is not None:
            self._queue.shutdown.set()


def _job_handler(spec: Entrypoint[Any], service: Any, metrics: JobMetrics) -> Callable[[Job], Awaitable[None]]:
    async def handle(job: Job) -> None:
        run = JobRun(id=int(job.id), attempts=job.attempts, payload=job.payload or b"")
        retry: RetryRequested | None = None

        async def attempt() -> Outcome:
            nonlocal retry
            try:
                await spec.run(service, run)
            except RetryRequested as requested:
                retry = requested
                return "retry"
            except Exception as exc:
                if _permanent(exc) or spec.retry.gives_up(job.attempts):
                    log.error(
                        "job failed for good", extra={"job": spec.name, "job_id": run.id, "attempts": run.attempts}
                    )
                    raise
                log.warning(
                    "job failed, will retry",
                    extra={"job": spec.name, "job_id": run.id, "attempt": run.attempts, "error": repr(exc)},
                )
                retry = RetryRequested(delay=spec.retry.delay(job.attempts), reason=f"{type(exc).__name__}: {exc}")
                retry.__cause__ = exc
                return "retry"
            return "done"

        await metrics.observe(spec.name, "job", attempt, job_id=run.id, attempts=run.attempts)
        if retry is not None:
            raise retry

    return handle


def _schedule_handler(spec: Schedule[Any], service: Any, metrics: JobMetrics) -> Callable[[CronRun], Awaitable[None]]:
    async def handle(schedule: CronRun) -> None:
        async def sweep() -> Outcome:
            await spec.run(service)
            return "done"

        await metrics.observe(spec.name, "sweep", sweep)

    return handle


def _permanent(exc: Exception) -> bool:
    return isinstance(exc, DomainError) and not isinstance(exc, ServiceUnavailable | RateLimited)


async def run_worker(settings: Settings, integrations: Integrations | None = None) -> None:
    """The ``procus worker`` process: runs until SIGTERM or SIGINT, then lets running jobs finish."""
    container = await Container.create(settings, integrations)
    worker = Worker(container, batch_size=settings.worker_batch_size, max_running=2 * settings.worker_batch_size)
    if settings.worker_metrics_port:
        start_http_server(settings.worker_metrics_port, addr="127.0.0.1", registry=worker.metrics.registry)
    loop = asyncio.get_running_loop()
    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, worker.stop)
    try:
        await worker.run()
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)
        await container.close()
        log.info("worker stopped")
