"""Sending one queued email, safely under retries and re-runs.

SMTP cannot be exactly-once: the server may accept a message and the connection (or our process)
die before we learn it. What we guarantee instead, per email key (the caller's dedupe key, else the
job id):

- once an email is recorded 'sent' (or 'rejected'), every later run is a no-op;
- the ``sent_emails`` row is locked from before the send until its outcome commits, so two runners
  of the same email never talk to SMTP at the same time (the second waits, then sees 'sent');
- a crash between the SMTP server's acceptance and our commit rolls the outcome back, and the retry
  sends that one message again, with the *same* Message-ID (derived from the key), which mail
  clients use to show it once. That single in-flight message is the only possible duplicate.

Transient failures (``ServiceUnavailable``) are recorded and re-raised so the job retries with
backoff; a permanent refusal (``InvalidInput``) is recorded as 'rejected' and not retried.
"""

from __future__ import annotations

import enum
import hashlib
import logging

import msgspec

from procus.domain.errors import InvalidInput, ServiceUnavailable
from procus.domain.mail import address_email
from procus.services.notices.emails import EmailJob, decode_context
from procus.services.notices.mail_templates import render_email
from procus.services.ports.clock import Clock
from procus.services.ports.mail import MailSender
from procus.store import sent_emails
from procus.store.db import Database

__all__ = ["DeliveryOutcome", "EmailDeliveryService", "message_id_for"]

log = logging.getLogger(__name__)


class DeliveryOutcome(enum.StrEnum):
    SENT = "sent"
    ALREADY_DONE = "already_done"
    REJECTED = "rejected"


def message_id_for(email_key: str, mail_from: str) -> str:
    """The same ``<...@domain>`` for every attempt at one email."""
    digest = hashlib.sha256(email_key.encode()).hexdigest()[:32]
    domain = address_email(mail_from).rpartition("@")[2] or "procus.local"
    return f"<{digest}@{domain}>"


class EmailDeliveryService:
    def __init__(self, db: Database, clock: Clock, mail: MailSender, *, mail_from: str, public_url: str) -> None:
        self._db = db
        self._clock = clock
        self._mail = mail
        self._mail_from = mail_from
        self._public_url = public_url.rstrip("/")

    async def deliver(self, job: EmailJob, *, job_id: int) -> DeliveryOutcome:
        key = job.email_key or f"job:{job_id}"
        message = render_email(job.template, job.to, {"public_url": self._public_url, **decode_context(job.context)})
        message = msgspec.structs.replace(
            message, attachments=list(job.attachments), message_id=message_id_for(key, self._mail_from)
        )
        failure: ServiceUnavailable | None = None
        async with self._db.transaction() as tx:
            attempt = await sent_emails.begin_attempt(
                tx,
                key,
                message_id=message.message_id or "",
                template=job.template,
                recipients=job.to,
                at=self._clock.now(),
            )
            if attempt is None:
                return DeliveryOutcome.ALREADY_DONE
            try:
                await self._mail.send(message)
            except InvalidInput as exc:
                log.warning("email rejected", extra={"email_key": key, "template": job.template, "code": exc.code})
                await sent_emails.mark_rejected(tx, key, exc.detail)
                return DeliveryOutcome.REJECTED
            except ServiceUnavailable as exc:
                await sent_emails.note_failure(tx, key, exc.detail)
                failure = exc
            else:
                await sent_emails.mark_sent(tx, key, self._clock.now())
        if failure is not None:
            raise failure
        return DeliveryOutcome.SENT
