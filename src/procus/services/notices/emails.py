"""Emails leave through the job queue, enqueued in the same transaction as the change they announce.

:func:`queue_email` checks the template and its context at once (a mistake fails the caller's
transaction, not a job an hour later) and enqueues a ``send_email`` job whose payload is an
:class:`EmailJob`. Context values may be JSON values, aware datetimes or :class:`Money` (at the top
level): they travel as RFC 3339 strings and ``{amount, currency}`` and :func:`decode_context` restores
them in the job. (Enqueueing a ``send_email`` job directly with that payload shape works too.)
The job is run by :class:`procus.services.notices.email_delivery.EmailDeliveryService`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from procus.domain.mail import Attachment
from procus.domain.money import Money
from procus.services.notices.mail_templates import EMAIL_TEMPLATES
from procus.store.db import Connection
from procus.store.jobs import JobKind

__all__ = ["SEND_EMAIL", "SEND_EMAIL_JOB", "EmailJob", "decode_context", "encode_context", "queue_email"]

_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class EmailJob(msgspec.Struct, frozen=True, kw_only=True):
    """The ``send_email`` job payload."""

    template: str
    to: list[str]
    context: dict[str, Any]
    """JSON values; see :func:`encode_context`."""
    attachments: list[Attachment] = msgspec.field(default_factory=list)
    email_key: str | None = None
    """Identifies the email across retries and re-enqueues; None: the job id does."""


SEND_EMAIL = JobKind("send_email", EmailJob)
SEND_EMAIL_JOB = SEND_EMAIL.name


async def queue_email(
    conn: Connection,
    template: str,
    to: str,
    context: Mapping[str, Any],
    *,
    dedupe_key: str | None = None,
    attachments: Sequence[Attachment] = (),
    run_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Queue email ``template`` to ``to``; ``dedupe_key`` makes both the enqueue and the send happen once.

    Raises ``LookupError`` for an unknown template and ``ValueError`` for missing context keys
    (see ``EMAIL_TEMPLATES``): programming errors, raised in the caller's transaction.
    """
    required = EMAIL_TEMPLATES.get(template)
    if required is None:
        raise LookupError(f"no email template named {template!r}")
    missing = [key for key in required if key not in context]
    if missing:
        raise ValueError(f"email {template!r} needs context {', '.join(missing)}")
    job = EmailJob(
        template=template,
        to=[to],
        context=encode_context(context),
        attachments=list(attachments),
        email_key=dedupe_key,
    )
    await SEND_EMAIL.enqueue(conn, job, run_at=run_at, now=now, dedupe_key=dedupe_key)


def encode_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-ready context: aware datetimes become RFC 3339 strings, ``Money`` ``{amount, currency}``."""
    for key, value in context.items():
        if isinstance(value, dt.datetime) and value.utcoffset() is None:
            raise ValueError(f"email context {key!r} must be a timezone-aware datetime")
    encoded: dict[str, Any] = msgspec.to_builtins(dict(context))
    return encoded


def decode_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """The template context back from JSON: RFC 3339 strings with an offset are datetimes again, and
    ``{amount, currency}`` objects are ``Money`` (top-level values only)."""
    return {key: _decode(value) for key, value in context.items()}


def _decode(value: Any) -> Any:
    if isinstance(value, str) and _RFC3339.match(value):
        return dt.datetime.fromisoformat(value)
    if isinstance(value, dict) and value.keys() == {"amount", "currency"}:
        return Money(int(value["amount"]), str(value["currency"]))
    return value
