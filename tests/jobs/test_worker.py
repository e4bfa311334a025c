"""The worker: each job runs once across concurrent workers, failures retry, permanent ones do not,
and ``procus worker`` processes deliver real mail and stop cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import signal
import sys
import typing
from collections import Counter

import pytest

from procus.bootstrap import Container, Integrations
from procus.config import PROJECT_ROOT, Settings
from procus.domain.errors import InvalidInput
from procus.jobs import Entrypoint, JobRun, RetryPolicy, all_entrypoints, all_schedules
from procus.services.notices.emails import queue_email
from procus.store import jobs
from procus.store.db import Database
from procus.worker import Worker
from tests.jobs.conftest import drain, queue_people_emails
from tests.support.smtp_server import SmtpTestServer

NO_WAIT = RetryPolicy(max_attempts=3, first_delay=dt.timedelta(0))


async def _enqueue(db: Database, entrypoint: str, count: int) -> list[int]:
    async with db.transaction() as tx:
        ids = [await jobs.enqueue(tx, entrypoint, {"number": number}) for number in range(count)]
    return [job_id for job_id in ids if job_id is not None]


async def _statuses(db: Database) -> list[str]:
    async with db.connection() as conn:
        return [row[0] for row in await conn.fetch("SELECT status::text FROM pgqueuer ORDER BY id")]


async def test_two_workers_run_each_job_exactly_once(
    container: Container, settings: Settings, integrations: Integrations, db: Database
) -> None:
    ran: list[tuple[int, str]] = []
    both_started = asyncio.Event()

    def counting(tag: str) -> Entrypoint:
        async def run(_: Database, job: JobRun) -> None:
            ran.append((job.id, tag))
            if {tag for _, tag in ran} == {"a", "b"}:
                both_started.set()
            # Hold the first jobs until the other worker is taking jobs too, so both compete.
            await asyncio.wait_for(both_started.wait(), 10)

        return Entrypoint(name="test.count", service=Database, run=run)

    enqueued = await _enqueue(db, "test.count", 60)
    second = await Container.create(settings, integrations)
    try:
        await asyncio.gather(
            drain(container, [counting("a")], batch_size=1, max_running=2),
            drain(second, [counting("b")], batch_size=1, max_running=2),
        )
    finally:
        await second.close()
    assert Counter(job_id for job_id, _ in ran) == Counter(enqueued)
    assert {tag for _, tag in ran} == {"a", "b"}
    assert await _statuses(db) == []


async def test_a_failing_job_is_retried_with_the_same_id(container: Container, db: Database) -> None:
    attempts: list[tuple[int, int]] = []

    async def flaky(_: Database, job: JobRun) -> None:
        attempts.append((job.id, job.attempts))
        if job.attempts == 0:
            raise ConnectionResetError("the first try fails")

    [job_id] = await _enqueue(db, "test.flaky", 1)
    await drain(container, [Entrypoint(name="test.flaky", service=Database, run=flaky, retry=NO_WAIT)])
    assert attempts == [(job_id, 0), (job_id, 1)]
    assert await _statuses(db) == []


async def test_a_job_gives_up_after_its_attempts_and_is_kept_for_inspection(container: Container, db: Database) -> None:
    attempts: list[int] = []

    async def broken(_: Database, job: JobRun) -> None:
        attempts.append(job.attempts)
        raise RuntimeError("always")

    await _enqueue(db, "test.broken", 1)
    await drain(container, [Entrypoint(name="test.broken", service=Database, run=broken, retry=NO_WAIT)])
    assert attempts == [0, 1, 2]
    assert await _statuses(db) == ["failed"]


async def test_a_permanent_domain_error_is_not_retried(container: Container, db: Database) -> None:
    attempts: list[int] = []

    async def refused(_: Database, job: JobRun) -> None:
        attempts.append(job.attempts)
        raise InvalidInput("nonsense_payload", "cannot ever work")

    await _enqueue(db, "test.refused", 1)
    await drain(container, [Entrypoint(name="test.refused", service=Database, run=refused, retry=NO_WAIT)])
    assert attempts == [0]
    assert await _statuses(db) == ["failed"]


def test_every_job_module_is_discovered_and_names_a_container_service() -> None:
    names = {spec.name for spec in all_entrypoints()}
    assert {"send_email", "booking_reminder"} <= names
    sweeps = {spec.name for spec in all_schedules()}
    assert {"notifications.email_unread_important", "notifications.purge_stream_tickets"} <= sweeps
    hints = typing.get_type_hints(Container)
    services = {hints[name] for name in Container.__struct_fields__}
    assert {spec.service for spec in [*all_entrypoints(), *all_schedules()]} <= services


@pytest.mark.timeout(120)
async def test_two_worker_processes_send_each_email_once_and_stop_on_sigterm(
    db: Database, settings: Settings, smtp_server: SmtpTestServer
) -> None:
    count = 8
    addresses = await queue_people_emails(db, count)
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "APP_ENV": "test",
        "LOG_JSON": "false",
        "LOG_LEVEL": "INFO",
        "SMTP_HOST": smtp_server.host,
        "SMTP_PORT": str(smtp_server.port),
        "WORKER_BATCH_SIZE": "2",
    }
    workers = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "procus.cli", "worker", env=env, cwd=PROJECT_ROOT, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(2)
    ]
    try:
        for process in workers:  # a SIGTERM before a worker is up would kill it, not stop it
            await asyncio.wait_for(_until_running(process), 60)
        await smtp_server.wait_for(count, timeout=60)
        await asyncio.sleep(1.0)
    finally:
        for process in workers:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(process.wait(), 20) for process in workers]
    errors = [(await process.stderr.read()).decode() for process in workers if process.stderr]
    assert codes == [0, 0], errors
    recipients = sorted(mail.envelope_to[0] for mail in smtp_server.received)
    assert recipients == sorted(addresses)
    assert len({message["Message-ID"] for message in smtp_server.messages}) == count
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM sent_emails WHERE status = 'sent'") == count


@pytest.mark.timeout(120)
async def test_a_job_whose_worker_was_killed_mid_send_is_finished_by_another_worker_once(
    container: Container, db: Database, settings: Settings, smtp_server: SmtpTestServer
) -> None:
    """The first worker hangs talking to an SMTP server that never answers and is SIGKILLed; once its
    heartbeat is stale, a second worker picks the job up again and the email arrives exactly once."""

    async def never_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()

    tarpit = await asyncio.start_server(never_answer, "127.0.0.1", 0)
    async with db.transaction() as tx:
        await queue_email(
            tx,
            "password_reset",
            "ada@example.com",
            {"recipient_name": "Ada", "reset_url": "http://x.test/r?t=1", "expires_in": 60},
            dedupe_key="killed:1",
        )
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "APP_ENV": "test",
        "LOG_LEVEL": "WARNING",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(tarpit.sockets[0].getsockname()[1]),
    }
    doomed = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "procus.cli", "worker", env=env, cwd=PROJECT_ROOT
    )
    try:
        for _ in range(600):  # a worker starting on a busy machine can take many seconds
            if await _statuses(db) == ["picked"]:
                break
            await asyncio.sleep(0.1)
        assert await _statuses(db) == ["picked"]
        await asyncio.sleep(0.5)
    finally:
        doomed.kill()
        await doomed.wait()
        tarpit.close()

    await asyncio.sleep(1.5)  # the dead worker's last heartbeat is now older than the 1 s timeout below
    await drain(container, heartbeat_timeout=dt.timedelta(seconds=1))
    [message] = await smtp_server.wait_for(1)
    assert str(message["To"]).strip() == "ada@example.com"
    assert await _statuses(db) == []
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT status::text FROM sent_emails WHERE email_key = 'killed:1'") == "sent"


async def test_every_job_run_is_logged_and_counted_with_its_outcome_and_duration(
    container: Container, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async def fine(_: Database, job: JobRun) -> None:
        return None

    async def flaky(_: Database, job: JobRun) -> None:
        if job.attempts == 0:
            raise ConnectionResetError("the first try fails")

    async def refused(_: Database, job: JobRun) -> None:
        raise InvalidInput("nonsense_payload", "cannot ever work")

    specs = [
        Entrypoint(name="test.fine", service=Database, run=fine, retry=NO_WAIT),
        Entrypoint(name="test.flaky", service=Database, run=flaky, retry=NO_WAIT),
        Entrypoint(name="test.refused", service=Database, run=refused, retry=NO_WAIT),
    ]
    for name in ("test.fine", "test.flaky", "test.refused"):
        await _enqueue(db, name, 1)
    worker = Worker(container, entrypoints=specs, schedules=[], dequeue_timeout=dt.timedelta(seconds=0.5))
    with caplog.at_level(logging.INFO, logger="procus.worker"):
        await asyncio.wait_for(worker.run(drain=True), 60)

    runs = [
        (record.job, record.outcome, record.attempts)  # type: ignore[attr-defined]
        for record in caplog.records
        if hasattr(record, "outcome")
    ]
    assert sorted(runs) == [
        ("test.fine", "done", 0),
        ("test.flaky", "done", 1),
        ("test.flaky", "retry", 0),
        ("test.refused", "failed", 0),
    ]
    assert all(record.duration_ms >= 0 for record in caplog.records if hasattr(record, "duration_ms"))  # type: ignore[attr-defined]

    def counted(job: str, outcome: str) -> float | None:
        labels = {"job": job, "kind": "job", "outcome": outcome}
        return worker.metrics.registry.get_sample_value("procus_jobs_total", labels)

    assert (counted("test.fine", "done"), counted("test.flaky", "retry"), counted("test.flaky", "done")) == (1, 1, 1)
    assert counted("test.refused", "failed") == 1
    durations = worker.metrics.registry.get_sample_value(
        "procus_job_duration_seconds_count", {"job": "test.flaky", "kind": "job"}
    )
    assert durations == 2


async def _until_running(process: asyncio.subprocess.Process) -> None:
    assert process.stderr is not None
    while True:
        line = await process.stderr.readline()
        assert line, "the worker exited before it was running"
        if b"worker running" in line:
            return
