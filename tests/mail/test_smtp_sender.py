"""SmtpMailSender against a real SMTP server on loopback."""

from __future__ import annotations

import email.message
import socket
import ssl
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar

from procus.config import load_settings
from procus.domain.errors import InvalidInput, ServiceUnavailable
from procus.domain.mail import Attachment, EmailMessage, ics_attachment
from procus.integrations.mail.smtp import SmtpMailSender
from procus.services.notices.calendar_invite import InviteMethod, build_invite
from tests.support.smtp_server import SmtpTestServer, start_smtp_server
from tests.support.tls import LoopbackTls

FROM = "ProcusMeet <no-reply@procus.test>"
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
END = START + timedelta(minutes=30)


def _sender(server: SmtpTestServer, **options: Any) -> SmtpMailSender:
    return SmtpMailSender(host=server.host, port=server.port, mail_from=FROM, timeout=5, **options)


def _invite(method: InviteMethod = "REQUEST", sequence: int = 3) -> bytes:
    return build_invite(
        booking_id="7d0c",
        method=method,
        sequence=sequence,
        starts_at=START,
        ends_at=END,
        summary="Export tax in Ghana",
        description="Consultation with Dr. Efua Asante",
        join_url="http://127.0.0.1:8000/calls/7d0c",
        organizer_email="efua@example.com",
        organizer_name="Dr. Efua Asante",
        attendee_email="kwame@example.com",
        attendee_name="Kwame Mensah",
    )


def _message(to: list[str], **changes: Any) -> EmailMessage:
    fields: dict[str, Any] = {
        "to": to,
        "subject": "Confirmed: Export tax in Ghana",
        "text": "See you there: http://127.0.0.1:8000/calls/7d0c",
        "html": "<p>See you <b>there</b></p>",
        **changes,
    }
    return EmailMessage(**fields)


def _payload(part: email.message.EmailMessage) -> bytes:
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return data


def _part(message: email.message.EmailMessage, content_type: str) -> email.message.EmailMessage:
    parts = [part for part in message.walk() if part.get_content_type() == content_type]
    assert len(parts) == 1, f"expected one {content_type} part, found {len(parts)}"
    part = parts[0]
    assert isinstance(part, email.message.EmailMessage)
    return part


async def test_sends_text_html_and_calendar_invite(smtp_server: SmtpTestServer) -> None:
    message = _message(["Kwame Mensah <kwame@example.com>"], attachments=[ics_attachment(_invite(), "REQUEST")])

    await _sender(smtp_server).send(message)

    [received] = await smtp_server.wait_for(1)
    assert smtp_server.received[0].envelope_from == "no-reply@procus.test"
    assert smtp_server.received[0].envelope_to == ["kwame@example.com"]
    assert received["From"] == FROM
    assert received["To"] == "Kwame Mensah <kwame@example.com>"
    assert received["Subject"] == "Confirmed: Export tax in Ghana"
    assert received["Message-ID"].endswith("@procus.test>")
    assert abs(received["Date"].datetime - datetime.now(UTC)) < timedelta(minutes=1)
    assert received.get_content_type() == "multipart/mixed"

    alternative = _part(received, "multipart/alternative")
    assert [part.get_content_type() for part in alternative.iter_parts()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    assert _part(received, "text/plain").get_content().strip() == message.text
    assert _part(received, "text/html").get_content().strip() == message.html

    inline = _part(received, "text/calendar")
    assert inline.get_param("method") == "REQUEST"
    assert str(inline.get_param("charset")).upper() == "UTF-8"
    attached = _part(received, "application/ics")
    assert attached.get_content_disposition() == "attachment"
    assert attached.get_filename() == "invite.ics"
    assert _payload(inline) == _payload(attached) == message.attachments[0].data

    calendar = Calendar.from_ical(_payload(attached))
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "booking-7d0c@procus"
    assert event.decoded("SEQUENCE") == 3
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == END


async def test_cancel_invite_keeps_uid_and_method(smtp_server: SmtpTestServer) -> None:
    message = _message(["kwame@example.com"], attachments=[ics_attachment(_invite("CANCEL", 4), "CANCEL")])

    await _sender(smtp_server).send(message)

    [received] = await smtp_server.wait_for(1)
    assert _part(received, "text/calendar").get_param("method") == "CANCEL"
    [event] = Calendar.from_ical(_payload(_part(received, "application/ics"))).walk("VEVENT")
    assert (str(event["UID"]), event.decoded("SEQUENCE"), str(event["STATUS"])) == (
        "booking-7d0c@procus",
        4,
        "CANCELLED",
    )


async def test_text_only_message_with_other_attachment(smtp_server: SmtpTestServer) -> None:
    receipt = Attachment(filename="receipt.pdf", content_type="application/pdf", data=b"%PDF-1.7 fake")
    message = _message(["kwame@example.com"], html=None, attachments=[receipt], headers={"Reply-To": "help@x.io"})

    await _sender(smtp_server).send(message)

    [received] = await smtp_server.wait_for(1)
    assert received["Reply-To"] == "help@x.io"
    assert _part(received, "text/plain").get_content().strip() == message.text
    pdf = _part(received, "application/pdf")
    assert (pdf.get_filename(), _payload(pdf)) == ("receipt.pdf", b"%PDF-1.7 fake")
    assert not [part for part in received.walk() if part.get_content_type() == "text/html"]


async def test_permanently_refused_recipient_is_rejected(smtp_server: SmtpTestServer) -> None:
    with pytest.raises(InvalidInput) as raised:
        await _sender(smtp_server).send(_message(["refuse-me@example.com"]))
    assert raised.value.code == "mail_rejected"
    assert smtp_server.received == []


async def test_temporarily_refused_recipient_is_retryable(smtp_server: SmtpTestServer) -> None:
    with pytest.raises(ServiceUnavailable) as raised:
        await _sender(smtp_server).send(_message(["defer-me@example.com"]))
    assert raised.value.code == "mail_unavailable"


async def test_partly_refused_recipients_still_deliver_to_the_rest(smtp_server: SmtpTestServer) -> None:
    await _sender(smtp_server).send(_message(["refuse-me@example.com", "kwame@example.com"]))

    await smtp_server.wait_for(1)
    assert smtp_server.received[0].envelope_to == ["kwame@example.com"]


async def test_closed_port_is_unavailable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = SmtpMailSender(host="127.0.0.1", port=port, mail_from=FROM, timeout=2)

    with pytest.raises(ServiceUnavailable) as raised:
        await sender.send(_message(["kwame@example.com"]))
    assert raised.value.code == "mail_unavailable"


async def test_starttls_with_auth(loopback_tls: LoopbackTls) -> None:
    server = await start_smtp_server(starttls_context=loopback_tls.server_context, credentials=("procus", "s3cret"))
    try:
        sender = _sender(
            server, tls="starttls", username="procus", password="s3cret", tls_context=loopback_tls.client_context
        )
        await sender.send(_message(["kwame@example.com"]))

        await server.wait_for(1)
        assert server.authenticated_as == ["procus"]
    finally:
        await server.stop()


async def test_implicit_tls_with_auth(loopback_tls: LoopbackTls) -> None:
    server = await start_smtp_server(implicit_tls_context=loopback_tls.server_context, credentials=("procus", "s3cret"))
    try:
        sender = _sender(
            server, tls="tls", username="procus", password="s3cret", tls_context=loopback_tls.client_context
        )
        await sender.send(_message(["kwame@example.com"]))

        await server.wait_for(1)
        assert server.authenticated_as == ["procus"]
    finally:
        await server.stop()


async def test_wrong_password_is_unavailable_not_rejected(loopback_tls: LoopbackTls) -> None:
    server = await start_smtp_server(starttls_context=loopback_tls.server_context, credentials=("procus", "s3cret"))
    try:
        sender = _sender(
            server, tls="starttls", username="procus", password="wrong", tls_context=loopback_tls.client_context
        )
        with pytest.raises(ServiceUnavailable):
            await sender.send(_message(["kwame@example.com"]))
        assert server.received == []
    finally:
        await server.stop()


async def test_untrusted_certificate_is_unavailable(loopback_tls: LoopbackTls) -> None:
    server = await start_smtp_server(starttls_context=loopback_tls.server_context)
    try:
        sender = _sender(server, tls="starttls", tls_context=ssl.create_default_context())
        with pytest.raises(ServiceUnavailable):
            await sender.send(_message(["kwame@example.com"]))
        assert server.received == []
    finally:
        await server.stop()


async def test_plain_sender_refuses_a_server_that_requires_starttls(loopback_tls: LoopbackTls) -> None:
    server = await start_smtp_server(starttls_context=loopback_tls.server_context)
    try:
        with pytest.raises(ServiceUnavailable):
            await _sender(server, tls="none").send(_message(["kwame@example.com"]))
        assert server.received == []
    finally:
        await server.stop()


def test_from_settings_maps_every_smtp_setting() -> None:
    settings = load_settings(
        {},
        smtp_host="smtp.example.com",
        smtp_port=465,
        smtp_username="user",
        smtp_password="pass",
        smtp_tls="tls",
        mail_from="Procus <mail@example.com>",
    )
    sender = SmtpMailSender.from_settings(settings)
    assert (sender.host, sender.port, sender.username, sender.password, sender.tls, sender.mail_from) == (
        "smtp.example.com",
        465,
        "user",
        "pass",
        "tls",
        "Procus <mail@example.com>",
    )


def test_empty_smtp_host_means_the_local_mail_catcher() -> None:
    sender = SmtpMailSender.from_settings(load_settings({}))
    assert (sender.host, sender.port, sender.tls) == ("127.0.0.1", 1025, "none")
