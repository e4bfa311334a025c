"""Turn an ``EmailMessage`` into RFC 5322 MIME.

Layout, chosen because it is what Google Calendar itself sends and what Gmail, Outlook and Apple Mail
all recognise as an invitation::

    multipart/mixed
      multipart/alternative
        text/plain
        text/html
        text/calendar; method=REQUEST; charset=UTF-8      <- clients read the invite from here
      application/ics; name=invite.ics (attachment)        <- and users can save/import this one
      ...other attachments

Without calendar or other attachments the message is just ``multipart/alternative`` (or
``text/plain``). Calendar data is base64-encoded so the CRLF line folding of RFC 5545 survives.
"""

from __future__ import annotations

import email.message
import email.policy
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid

from procus.domain.errors import InvalidInput
from procus.domain.mail import EmailMessage, address_email

__all__ = ["RESERVED_HEADERS", "build_mime"]

RESERVED_HEADERS = frozenset({"from", "to", "cc", "bcc", "subject", "date", "message-id", "mime-version"})


def build_mime(message: EmailMessage, *, sender: str, now: datetime | None = None) -> email.message.EmailMessage:
    """The MIME form of ``message`` from ``sender``, with Date and its Message-ID (a fresh one if unset)."""
    mime = email.message.EmailMessage(policy=email.policy.SMTP)
    try:
        mime["From"] = sender
        mime["To"] = ", ".join(message.to)
        mime["Subject"] = message.subject
        mime["Date"] = format_datetime(now or datetime.now(UTC))
        mime["Message-ID"] = message.message_id or make_msgid(domain=_domain_of(sender))
        for name, value in message.headers.items():
            if name.lower() in RESERVED_HEADERS:
                raise InvalidInput("mail_header_reserved", f"{name} is set by the sender", field="headers")
            mime[name] = value
    except (ValueError, TypeError) as exc:
        raise InvalidInput("mail_header_invalid", str(exc)) from exc

    mime.set_content(message.text)
    if message.html is not None:
        mime.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        if attachment.is_calendar:
            _, _, params = _split_content_type(attachment.content_type)
            params.setdefault("charset", "UTF-8")
            mime.add_alternative(attachment.data, maintype="text", subtype="calendar", params=params)
    for attachment in message.attachments:
        if attachment.is_calendar:
            maintype, subtype, params = "application", "ics", {"name": attachment.filename}
        else:
            maintype, subtype, params = _split_content_type(attachment.content_type)
        mime.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename, params=params
        )
    return mime


def _split_content_type(content_type: str) -> tuple[str, str, dict[str, str]]:
    parsed = email.message.Message()
    parsed["Content-Type"] = content_type
    params = {key: str(value) for key, value in parsed.get_params(failobj=[])[1:]}
    return parsed.get_content_maintype(), parsed.get_content_subtype(), params


def _domain_of(address: str) -> str:
    _, _, domain = address_email(address).rpartition("@")
    return domain or "procus.local"
