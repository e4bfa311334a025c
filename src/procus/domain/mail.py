"""An outgoing email as plain data: what to send, not how.

Services build these (usually through ``procus.services.notices.mail_templates.render_email``) and hand them
to a ``MailSender``; the SMTP integration turns them into MIME. Addresses are RFC 5322 strings, either
``ada@example.com`` or ``Ada Lovelace <ada@example.com>`` (see :func:`format_address`).
"""

from __future__ import annotations

from email.utils import formataddr, parseaddr

import msgspec

from procus.domain.errors import InvalidInput

__all__ = ["ICS_FILENAME", "Attachment", "EmailMessage", "address_email", "format_address", "ics_attachment"]

ICS_FILENAME = "invite.ics"


class Attachment(msgspec.Struct, frozen=True, kw_only=True):
    filename: str
    content_type: str
    """A full MIME type with parameters, e.g. ``text/calendar; method=REQUEST; charset=UTF-8``."""
    data: bytes

    @property
    def is_calendar(self) -> bool:
        return self.content_type.split(";", 1)[0].strip().lower() == "text/calendar"


class EmailMessage(msgspec.Struct, frozen=True, kw_only=True):
    to: list[str]
    subject: str
    text: str
    html: str | None = None
    attachments: list[Attachment] = msgspec.field(default_factory=list)
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    """Extra headers (``Reply-To``, ``Auto-Submitted`` ...). From, To, Subject, Date and Message-ID are
    set by the sender and may not be overridden here."""
    message_id: str | None = None
    """``<unique@domain>``; None lets the sender make a fresh one. The delivery job sets it so a retried
    send carries the same Message-ID as the first try."""

    def __post_init__(self) -> None:
        if not self.to:
            raise InvalidInput("mail_no_recipient", "an email needs at least one recipient", field="to")
        for value in (self.subject, *self.to, *self.headers, *self.headers.values(), self.message_id or ""):
            if "\r" in value or "\n" in value:
                raise InvalidInput("mail_header_invalid", "header values may not contain line breaks")

    def with_attachment(self, attachment: Attachment) -> EmailMessage:
        return msgspec.structs.replace(self, attachments=[*self.attachments, attachment])


def format_address(name: str | None, email: str) -> str:
    """``Ada Lovelace <ada@example.com>``, quoting the name when RFC 5322 needs it."""
    return formataddr((name or "", email))


def address_email(address: str) -> str:
    """The bare ``local@domain`` part of an address string (``"Ada <ada@x.io>"`` -> ``"ada@x.io"``)."""
    return parseaddr(address)[1]


def ics_attachment(data: bytes, method: str) -> Attachment:
    """The calendar part that mail clients recognise as an invitation (method REQUEST or CANCEL)."""
    return Attachment(
        filename=ICS_FILENAME,
        content_type=f"text/calendar; method={method.upper()}; charset=UTF-8",
        data=data,
    )
