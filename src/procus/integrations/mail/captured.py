"""Captured development mail on disk: ``<data_dir>/mail/<id>.eml`` plus ``index.json``.

The capture SMTP server (:mod:`procus_devstack.mail_capture`) writes here and the ``/dev/mail`` pages
read from here, usually from another process; the index is replaced atomically so a reader never
sees half of it. Only the newest :data:`MAX_KEPT` messages are kept. This module does no SMTP so the
web app can import it without the dev-only aiosmtpd package.
"""

from __future__ import annotations

import email
import email.message
import email.policy
import os
import re
import secrets
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from procus.domain.errors import NotFound

__all__ = [
    "MAX_KEPT",
    "URL_PATTERN",
    "CapturedAttachment",
    "CapturedMail",
    "CapturedSummary",
    "extract_links",
    "list_captured",
    "mail_dir",
    "read_attachment",
    "read_captured",
    "read_raw",
    "store_message",
]

MAX_KEPT = 500
_INDEX = "index.json"
_ID = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{6}$")
URL_PATTERN = re.compile(r"https?://[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]")
"""An http(s) URL in running text, without trailing punctuation."""
_index_lock = threading.Lock()


class CapturedSummary(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    received_at: datetime
    envelope_from: str
    envelope_to: list[str]
    sender: str
    to: list[str]
    subject: str
    size: int
    links: list[str]
    """Every http(s) URL of the text body, so verification and reset links are one click away."""


class CapturedAttachment(msgspec.Struct, frozen=True, kw_only=True):
    index: int
    filename: str
    content_type: str
    size: int


class CapturedMail(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    received_at: datetime
    sender: str
    to: list[str]
    subject: str
    date: str | None
    message_id: str | None
    text: str | None
    html: str | None
    attachments: list[CapturedAttachment]
    links: list[str]


def mail_dir(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / "mail"


def store_message(
    data_dir: str | os.PathLike[str],
    raw: bytes,
    *,
    envelope_from: str,
    envelope_to: list[str],
    received_at: datetime | None = None,
    keep: int = MAX_KEPT,
) -> CapturedSummary:
    """Keep one received message and add it to the index, dropping all but the newest ``keep``."""
    received_at = received_at or datetime.now(UTC)
    message_id = f"{received_at.astimezone(UTC):%Y%m%dT%H%M%S%f}Z-{secrets.token_hex(3)}"
    message = _parse(raw)
    summary = CapturedSummary(
        id=message_id,
        received_at=received_at,
        envelope_from=envelope_from,
        envelope_to=list(envelope_to),
        sender=str(message.get("From", "")),
        to=_addresses(message),
        subject=str(message.get("Subject", "")),
        size=len(raw),
        links=extract_links(_body(message, "plain") or _body(message, "html") or ""),
    )
    directory = mail_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    _write_atomically(directory / f"{message_id}.eml", raw)
    with _index_lock:
        entries = [summary, *_load_index(directory)]
        for dropped in entries[keep:]:
            (directory / f"{dropped.id}.eml").unlink(missing_ok=True)
        _write_atomically(directory / _INDEX, msgspec.json.encode(entries[:keep]))
    return summary


def list_captured(data_dir: str | os.PathLike[str], limit: int = MAX_KEPT) -> list[CapturedSummary]:
    """Captured messages, newest first."""
    return _load_index(mail_dir(data_dir))[:limit]


def read_captured(data_dir: str | os.PathLike[str], mail_id: str) -> CapturedMail:
    raw = read_raw(data_dir, mail_id)
    message = _parse(raw)
    text = _body(message, "plain")
    html = _body(message, "html")
    return CapturedMail(
        id=mail_id,
        received_at=_received_at_from_id(mail_id),
        sender=str(message.get("From", "")),
        to=_addresses(message),
        subject=str(message.get("Subject", "")),
        date=_header(message, "Date"),
        message_id=_header(message, "Message-ID"),
        text=text,
        html=html,
        attachments=[attachment for attachment, _ in _attachments(message)],
        links=extract_links(text or html or ""),
    )


def read_attachment(data_dir: str | os.PathLike[str], mail_id: str, index: int) -> tuple[CapturedAttachment, bytes]:
    for attachment, data in _attachments(_parse(read_raw(data_dir, mail_id))):
        if attachment.index == index:
            return attachment, data
    raise NotFound("attachment_not_found", f"message {mail_id} has no attachment {index}")


def read_raw(data_dir: str | os.PathLike[str], mail_id: str) -> bytes:
    if not _ID.match(mail_id):
        raise NotFound("mail_not_found", "no such captured message")
    try:
        return (mail_dir(data_dir) / f"{mail_id}.eml").read_bytes()
    except FileNotFoundError:
        raise NotFound("mail_not_found", "no such captured message") from None


def extract_links(text: str) -> list[str]:
    """Distinct http(s) URLs in order of appearance."""
    links: list[str] = []
    for match in URL_PATTERN.finditer(text):
        url = match.group(0)
        if url not in links:
            links.append(url)
    return links


def _parse(raw: bytes) -> email.message.EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def _body(message: email.message.EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return None
    content = part.get_content()
    return content if isinstance(content, str) else None


def _attachments(message: email.message.EmailMessage) -> list[tuple[CapturedAttachment, bytes]]:
    found = []
    for index, part in enumerate(message.iter_attachments()):
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        attachment = CapturedAttachment(
            index=index,
            filename=part.get_filename() or f"attachment-{index}",
            content_type=part.get_content_type(),
            size=len(data),
        )
        found.append((attachment, data))
    return found


def _addresses(message: email.message.EmailMessage) -> list[str]:
    header = message.get("To")
    if header is None:
        return []
    addresses = getattr(header, "addresses", None)
    if addresses is None:
        return [str(header)]
    return [str(address) for address in addresses]


def _header(message: email.message.EmailMessage, name: str) -> str | None:
    value = message.get(name)
    return None if value is None else str(value)


def _received_at_from_id(mail_id: str) -> datetime:
    return datetime.strptime(mail_id[:21], "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)


def _load_index(directory: Path) -> list[CapturedSummary]:
    try:
        return msgspec.json.decode((directory / _INDEX).read_bytes(), type=list[CapturedSummary])
    except (FileNotFoundError, msgspec.DecodeError):
        return []


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
