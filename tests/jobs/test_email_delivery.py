"""Email jobs to a real SMTP server on loopback: calendar invites, auth links, and once-only delivery."""

from __future__ import annotations

import datetime as dt
import email.message
import re
import uuid
from typing import Any

import icalendar
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.bootstrap import Container
from procus.domain.accounts import Role, User
from procus.domain.errors import ServiceUnavailable
from procus.domain.mail import EmailMessage, ics_attachment
from procus.domain.money import Money
from procus.integrations.mail.smtp import SmtpMailSender
from procus.services.notices.calendar_invite import InviteMethod, build_invite, invite_uid
from procus.services.notices.email_delivery import DeliveryOutcome, EmailDeliveryService, message_id_for
from procus.services.notices.emails import EmailJob, encode_context, queue_email
from procus.services.notices.notifications import EmailSpec
from procus.store.db import Database
from tests.jobs.conftest import MAIL_FROM, drain
from tests.support.accounts import bearer, register
from tests.support.fakes import FakeClock, RecordingMailSender
from tests.support.notifications import make_user, send_notification
from tests.support.smtp_server import SmtpTestServer

Client = AsyncTestClient[Litestar]


def _invite(message: email.message.EmailMessage) -> icalendar.Event:
    [part] = [p for p in message.iter_attachments() if p.get_filename() == "invite.ics"]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    [event] = calendar.walk("VEVENT")
    event.calendar_method = str(calendar["METHOD"])
    return event


def _booking_invite(
    booking_id: uuid.UUID, method: InviteMethod, sequence: int, starts: dt.datetime, client: User, expert: User
) -> bytes:
    return build_invite(
        booking_id=booking_id,
        method=method,
        sequence=sequence,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=45),
        summary="Market entry",
        description="ProcusMeet consultation",
        join_url=f"http://127.0.0.1:8000/bookings/{booking_id}/call",
        organizer_email=expert.email,
        organizer_name=expert.full_name,
        attendee_email=client.email,
        attendee_name=client.full_name,
    )


async def test_confirmation_and_cancellation_carry_invites_for_the_same_event(
    container: Container, db: Database, clock: FakeClock, smtp_server: SmtpTestServer
) -> None:
    client = await make_user(db, full_name="Ada Lovelace", time_zone="Africa/Lagos")
    expert = await make_user(db, full_name="Grace Hopper", role=Role.EXPERT, time_zone="Europe/London")
    booking_id = uuid.uuid4()
    starts = dt.datetime(2031, 3, 4, 13, 30, tzinfo=dt.UTC)
    ends = starts + dt.timedelta(minutes=45)
    common = {"topic": "Market entry", "booking_url": f"http://127.0.0.1:8000/bookings/{booking_id}"}
    for method, sequence, template in (("REQUEST", 0, "booking_confirmed"), ("CANCEL", 1, "booking_cancelled")):
        invite = ics_attachment(_booking_invite(booking_id, method, sequence, starts, client, expert), method)  # type: ignore[arg-type]
        for recipient, other in ((client, expert), (expert, client)):
            context: dict[str, Any] = {**common, "other_party_name": other.full_name, "starts_at": starts}
            if template == "booking_confirmed":
                context |= {"ends_at": ends, "join_url": f"http://127.0.0.1:8000/bookings/{booking_id}/call"}
            else:
                refund = Money(15_000_00, "NGN") if recipient is client else None
                context |= {"cancelled_by_you": recipient is expert, "reason": "Travel", "refund": refund}
            spec = EmailSpec(template=template, context=context, attachments=[invite])
            await send_notification(db, recipient.id, clock.now(), kind=f"booking.{template[8:]}", email=spec)
        await drain(container)

    messages = await smtp_server.wait_for(4)
    confirmations, cancellations = messages[:2], messages[2:]
    by_recipient = {str(m["To"]).strip(): m for m in confirmations}
    assert set(by_recipient) == {client.email, expert.email}
    subject = str(by_recipient[client.email]["Subject"]).strip()
    assert subject == "Confirmed: Market entry with Grace Hopper, Tuesday 4 March 2031, 14:30 WAT"
    refund_note = {str(m["To"]).strip(): _text(m) for m in cancellations}
    assert "NGN 15,000.00" in refund_note[client.email]
    assert "NGN 15,000.00" not in refund_note[expert.email]

    events = [_invite(message) for message in messages]
    assert {str(event["UID"]) for event in events} == {invite_uid(booking_id)}
    assert [(event.calendar_method, int(event["SEQUENCE"])) for event in events] == [
        ("REQUEST", 0),
        ("REQUEST", 0),
        ("CANCEL", 1),
        ("CANCEL", 1),
    ]
    for event in events:
        assert event.decoded("DTSTART") == starts
        assert event.decoded("DTEND") == ends
    assert [str(event["STATUS"]) for event in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED", "CANCELLED"]


def _text(message: email.message.EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    content: str = body.get_content()
    return content


async def test_the_verification_email_links_back_to_a_working_verification(
    client: Client, container: Container, smtp_server: SmtpTestServer
) -> None:
    tokens = await register(client, full_name="Ada Lovelace")
    await drain(container)
    [message] = await smtp_server.wait_for(1)
    assert str(message["To"]).strip() == tokens["user"]["email"]
    text = _text(message)
    assert "Hi Ada Lovelace" in text
    assert "expires in 3 days" in text
    token = re.search(r"/verify-email\?token=([\w-]+)", text)
    assert token is not None
    assert (await client.post("/v1/auth/verify-email", json={"token": token.group(1)})).status_code == 204
    assert (await client.get("/v1/me", headers=bearer(tokens))).json()["email_verified"] is True


async def test_the_password_reset_email_renders_the_reset_link(
    client: Client, container: Container, smtp_server: SmtpTestServer
) -> None:
    tokens = await register(client)
    await drain(container)
    await client.post("/v1/auth/password-reset", json={"email": tokens["user"]["email"]})
    await drain(container)
    reset = (await smtp_server.wait_for(2))[1]
    text = _text(reset)
    assert "/reset-password?token=" in text
    assert "expires in 1 hour" in text


RESET_CONTEXT = {
    "recipient_name": "Ada",
    "reset_url": "http://127.0.0.1:8000/reset-password?token=t",
    "expires_in": 3600,
}


def _job(to: str, key: str | None = "receipt:1") -> EmailJob:
    return EmailJob(template="password_reset", to=[to], context=encode_context(RESET_CONTEXT), email_key=key)


def _delivery(container: Container, clock: FakeClock, mail: Any) -> EmailDeliveryService:
    return EmailDeliveryService(container.db, clock, mail, mail_from=MAIL_FROM, public_url="http://127.0.0.1:8000")


async def _sent_row(db: Database, key: str) -> dict[str, Any]:
    async with db.connection() as conn:
        row = await conn.fetchrow(
            "SELECT status::text, attempts, message_id, last_error FROM sent_emails WHERE email_key = $1", key
        )
    assert row is not None
    return dict(row)


async def test_a_delivered_email_is_never_sent_again(
    container: Container, db: Database, smtp_server: SmtpTestServer
) -> None:
    job = _job("ada@example.com")
    assert await container.email_delivery.deliver(job, job_id=1) is DeliveryOutcome.SENT
    assert await container.email_delivery.deliver(job, job_id=2) is DeliveryOutcome.ALREADY_DONE
    [message] = await smtp_server.wait_for(1)
    assert str(message["Message-ID"]).strip() == message_id_for("receipt:1", container.settings.mail_from)
    assert await _sent_row(db, "receipt:1") == {
        "status": "sent",
        "attempts": 1,
        "message_id": message_id_for("receipt:1", container.settings.mail_from),
        "last_error": None,
    }
    assert len(smtp_server.received) == 1


class _DiesAfterSending:
    """The SMTP server accepts the message, then the worker dies before it can record that."""

    def __init__(self, inner: SmtpMailSender) -> None:
        self.inner = inner

    async def send(self, message: EmailMessage) -> None:
        await self.inner.send(message)
        raise SystemError("worker killed after the server accepted the message")


async def test_a_crash_after_sending_resends_only_that_message_with_the_same_message_id(
    container: Container, db: Database, clock: FakeClock, smtp_server: SmtpTestServer, smtp_mail: SmtpMailSender
) -> None:
    job = _job("ada@example.com", key="crash:1")
    with pytest.raises(SystemError):
        await _delivery(container, clock, _DiesAfterSending(smtp_mail)).deliver(job, job_id=7)
    assert await _delivery(container, clock, smtp_mail).deliver(job, job_id=7) is DeliveryOutcome.SENT
    assert await _delivery(container, clock, smtp_mail).deliver(job, job_id=7) is DeliveryOutcome.ALREADY_DONE
    first, second = await smtp_server.wait_for(2)
    assert first["Message-ID"] == second["Message-ID"]
    assert (await _sent_row(db, "crash:1"))["status"] == "sent"


async def test_a_transient_failure_is_recorded_and_the_retry_completes_it(
    container: Container, db: Database, clock: FakeClock
) -> None:
    mail = RecordingMailSender()
    mail.failures.append(ServiceUnavailable("mail_unavailable", "server down"))
    delivery = _delivery(container, clock, mail)
    job = _job("ada@example.com", key=None)
    with pytest.raises(ServiceUnavailable):
        await delivery.deliver(job, job_id=41)
    assert await _sent_row(db, "job:41") | {"message_id": ""} == {
        "status": "sending",
        "attempts": 1,
        "message_id": "",
        "last_error": "server down",
    }
    assert await delivery.deliver(job, job_id=41) is DeliveryOutcome.SENT
    row = await _sent_row(db, "job:41")
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, None)
    [message] = mail.sent
    assert message.message_id == row["message_id"]


async def test_a_refused_recipient_is_recorded_and_not_retried(
    container: Container, db: Database, smtp_server: SmtpTestServer
) -> None:
    async with db.transaction() as tx:
        await queue_email(tx, "password_reset", "refuse-me@example.com", RESET_CONTEXT, dedupe_key="refused:1")
    await drain(container)
    assert (await _sent_row(db, "refused:1"))["status"] == "rejected"
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM pgqueuer") == 0
    assert smtp_server.received == []
