"""Emails leave through the job queue, enqueued in the same transaction as the change they announce."""

from __future__ import annotations

from typing import Any

from procus.store import jobs
from procus.store.db import Connection

__all__ = ["SEND_EMAIL_JOB", "queue_email"]

SEND_EMAIL_JOB = "send_email"


async def queue_email(
    conn: Connection, template: str, to: str, context: dict[str, Any], *, dedupe_key: str | None = None
) -> None:
    await jobs.enqueue(
        conn, SEND_EMAIL_JOB, {"template": template, "to": [to], "context": context}, dedupe_key=dedupe_key
    )
