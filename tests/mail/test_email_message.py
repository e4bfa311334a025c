"""EmailMessage rules and its MIME form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from procus.domain.errors import InvalidInput
from procus.domain.mail import Attachment, EmailMessage, address_email, format_address, ics_attachment
from procus.integrations.mail.mime import build_mime

FROM = "ProcusMeet <no-reply@procus.test>"


def test_needs_a_recipient() -> None:
    with pytest.raises(InvalidInput) as raised:
        EmailMessage(to=[], subject="Hi", text="Hello")
    assert raised.value.code == "mail_no_recipient"


@pytest.mark.parametrize(
    "fields",
    [
        {"subject": "Hi\r\nBcc: victim@example.com"},
        {"to": ["a@x.io\nBcc: victim@example.com"]},
        {"headers": {"Reply-To": "a@x.io\r\nBcc: victim@example.com"}},
    ],
)
def test_line_breaks_in_headers_are_refused(fields: dict[str, object]) -> None:
    base: dict[str, object] = {"to": ["a@x.io"], "subject": "Hi", "text": "Hello"}
    with pytest.raises(InvalidInput) as raised:
        EmailMessage(**{**base, **fields})  # type: ignore[arg-type]
    assert raised.value.code == "mail_header_invalid"


def test_sender_owned_headers_cannot_be_overridden() -> None:
    message = EmailMessage(to=["a@x.io"], subject="Hi", text="Hello", headers={"From": "evil@example.com"})
    with pytest.raises(InvalidInput) as raised:
        build_mime(message, sender=FROM)
    assert raised.value.code == "mail_header_reserved"


def test_addresses() -> None:
    assert format_address("Ada Obi", "ada@example.com") == "Ada Obi <ada@example.com>"
    assert format_address("Obi, Ada", "ada@example.com") == '"Obi, Ada" <ada@example.com>'
    assert format_address(None, "ada@example.com") == "ada@example.com"
    assert address_email('"Obi, Ada" <ada@example.com>') == "ada@example.com"
    assert address_email("ada@example.com") == "ada@example.com"


def test_calendar_attachment_is_recognised_by_its_type() -> None:
    invite = ics_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "cancel")
    assert invite.content_type == "text/calendar; method=CANCEL; charset=UTF-8"
    assert invite.filename == "invite.ics"
    assert invite.is_calendar
    assert not Attachment(filename="a.pdf", content_type="application/pdf", data=b"").is_calendar


def test_mime_of_a_text_only_invite() -> None:
    message = EmailMessage(
        to=["a@x.io"], subject="Héllo ✓", text="Hello", attachments=[ics_attachment(b"X", "REQUEST")]
    )
    mime = build_mime(message, sender=FROM, now=datetime(2026, 5, 4, 9, 0, tzinfo=UTC))

    assert mime["Date"] == "Mon, 04 May 2026 09:00:00 +0000"
    assert mime["Subject"] == "Héllo ✓"
    assert b"Subject: =?utf-8?" in mime.as_bytes()
    structure = [(part.get_content_type(), part.get_filename()) for part in mime.walk()]
    assert structure == [
        ("multipart/mixed", None),
        ("multipart/alternative", None),
        ("text/plain", None),
        ("text/calendar", None),
        ("application/ics", "invite.ics"),
    ]


def test_plain_message_is_a_single_part() -> None:
    mime = build_mime(EmailMessage(to=["a@x.io", "b@x.io"], subject="Hi", text="Hello"), sender=FROM)
    assert mime.get_content_type() == "text/plain"
    assert mime["To"] == "a@x.io, b@x.io"
    assert (
        mime["Message-ID"] != build_mime(EmailMessage(to=["a@x.io"], subject="Hi", text="x"), sender=FROM)["Message-ID"]
    )
