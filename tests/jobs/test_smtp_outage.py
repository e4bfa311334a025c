"""The SMTP server down while mail is due: every email waits its backoff and, once the server is
back, is delivered by the same running worker exactly once (none lost, none sent twice)."""

from __future__ import annotations

import asyncio
import datetime as dt

from procus.bootstrap import Container
from procus.store.db import Database
from procus.worker import Worker
from tests.jobs.conftest import queue_people_emails
from tests.support.smtp_server import SmtpTestServer, start_smtp_server

COUNT = 5


async def _all_put_back(db: Database) -> None:
    for _ in range(600):
        async with db.connection() as conn:
            rows = await conn.fetch(
                "SELECT status::text AS status, attempts, execute_after > now() + interval '20 seconds' AS later"
                " FROM pgqueuer WHERE entrypoint = 'send_email'"
            )
        if len(rows) == COUNT and all((r["status"], r["attempts"], r["later"]) == ("queued", 1, True) for r in rows):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the emails were not all put back for a retry after a backoff: {rows}")


async def test_mail_due_while_smtp_is_down_is_sent_once_each_after_it_is_back(
    container: Container, db: Database, smtp_server: SmtpTestServer
) -> None:
    await smtp_server.stop()
    addresses = await queue_people_emails(db, COUNT)
    worker = Worker(container, schedules=[], dequeue_timeout=dt.timedelta(seconds=0.5))
    running = asyncio.create_task(worker.run(drain=True))
    await _all_put_back(db)
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM sent_emails WHERE status = 'sent'") == 0

    back = await start_smtp_server(port=smtp_server.port)
    try:
        async with db.connection() as conn:  # the backoff has passed
            await conn.execute("UPDATE pgqueuer SET execute_after = now() WHERE entrypoint = 'send_email'")
        await asyncio.wait_for(running, 60)
        await back.wait_for(COUNT)
        await asyncio.sleep(0.5)  # anything sent twice would have arrived by now
    finally:
        await back.stop()
    assert sorted(mail.envelope_to[0] for mail in back.received) == addresses
    assert len({message["Message-ID"] for message in back.messages}) == COUNT
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT status::text AS status, attempts FROM sent_emails")
        assert await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = 'send_email'") == 0
    assert sorted((r["status"], r["attempts"]) for r in rows) == [("sent", 2)] * COUNT
