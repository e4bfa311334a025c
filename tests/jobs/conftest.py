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
from procus.services.notices.emails import queue_email
from procus.store.db import Database
from procus.worker import Worker
from tests.support.smtp_server import SmtpTestServer, smtp_server

__all__ = ["MAIL_FROM", "container", "drain", "queue_people_emails", "smtp_mail", "smtp_server"]

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


async def queue_people_emails(db: Database, count: int) -> list[str]:
    """Queue one password-reset email to each of ``person-0@example.com`` ... : their addresses."""
    addresses = [f"person-{number}@example.com" for number in range(count)]
    async with db.transaction() as tx:
        for number, address in enumerate(addresses):
            await queue_email(
                tx,
                "password_reset",
                address,
                {"recipient_name": f"Person {number}", "reset_url": f"http://x.test/r?t={number}", "expires_in": 60},
            )
    return addresses
