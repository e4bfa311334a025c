"""A worker-side Container whose mail goes to a real SMTP server on loopback, and a drained worker run."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Sequence

import msgspec
import pytest

from procus.bootstrap import Container, Integrations
from procus.config import Settings
from procus.integrations.mail.smtp import SmtpMailSender
from procus.jobs import Entrypoint
from procus.store.db import Database
from procus.worker import Worker
from tests.support.smtp_server import SmtpTestServer, smtp_server

__all__ = ["MAIL_FROM", "container", "drain", "smtp_mail", "smtp_server"]

MAIL_FROM = "ProcusMeet <no-reply@procus.test>"


@pytest.fixture
def smtp_mail(smtp_server: SmtpTestServer) -> SmtpMailSender:
    return SmtpMailSender(host=smtp_server.host, port=smtp_server.port, mail_from=MAIL_FROM, timeout=5)


@pytest.fixture
async def container(
    settings: Settings, db: Database, integrations: Integrations, smtp_mail: SmtpMailSender
) -> AsyncIterator[Container]:
    """What ``procus worker`` builds, with the test clock and the loopback SMTP server."""
    built = await Container.create(settings, msgspec.structs.replace(integrations, mail=smtp_mail))
    yield built
    await built.close()


async def drain(container: Container, entrypoints: Sequence[Entrypoint] | None = None, **options: object) -> None:
    """Run every queued job (and the jobs they queue) to the end, then stop; no cron schedules."""
    options.setdefault("dequeue_timeout", dt.timedelta(seconds=0.5))
    worker = Worker(container, entrypoints=entrypoints, schedules=[], **options)  # type: ignore[arg-type]
    await asyncio.wait_for(worker.run(drain=True), 60)
