"""The development mail catcher: a real SMTP server that files messages under <data_dir>/mail."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from procus.domain.errors import NotFound
from procus.domain.mail import ics_attachment
from procus.integrations.mail.captured import (
    CapturedSummary,
    extract_links,
    list_captured,
    mail_dir,
    read_attachment,
    read_captured,
    read_raw,
    store_message,
)
from procus.integrations.mail.mime import build_mime
from procus.integrations.mail.smtp import SmtpMailSender
from procus.services.notices.mail_templates import render_email
from procus_devstack.mail_capture import MailCapture
from tests.support.mail_samples import sample_context, sample_invite

FROM = "ProcusMeet <no-reply@procus.test>"
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _invite() -> bytes:
    return sample_invite(stamp=START - timedelta(days=1))


async def _wait_for_captured(data_dir: Path, count: int) -> list[CapturedSummary]:
    for _ in range(100):
        captured = list_captured(data_dir)
        if len(captured) >= count:
            return captured
        await asyncio.sleep(0.05)
    raise AssertionError(f"expected {count} captured message(s), found {len(list_captured(data_dir))}")


async def test_capture_server_stores_and_lists_what_the_app_sends(tmp_path: Path) -> None:
    seen: list[CapturedSummary] = []
    port = _free_port()
    verification = render_email("email_verification", ["Ada <ada@example.com>"], sample_context("email_verification"))
    confirmation = render_email(
        "booking_confirmed", ["kwame@example.com"], sample_context("booking_confirmed")
    ).with_attachment(ics_attachment(_invite(), "REQUEST"))

    with MailCapture(tmp_path, port=port, on_message=seen.append):
        sender = SmtpMailSender(host="127.0.0.1", port=port, mail_from=FROM, timeout=5)
        await sender.send(verification)
        await sender.send(confirmation)
        captured = await _wait_for_captured(tmp_path, 2)

    assert [summary.subject for summary in captured] == [confirmation.subject, verification.subject]
    assert [summary.id for summary in seen] == [summary.id for summary in reversed(captured)]
    newest, oldest = captured
    assert oldest.envelope_from == "no-reply@procus.test"
    assert oldest.envelope_to == ["ada@example.com"]
    assert oldest.sender == FROM
    assert oldest.to == ["Ada <ada@example.com>"]
    assert oldest.links == ["http://127.0.0.1:8000/verify-email?token=def456"]
    assert sorted(path.name for path in mail_dir(tmp_path).iterdir()) == sorted(
        [f"{newest.id}.eml", f"{oldest.id}.eml", "index.json"]
    )

    mail = read_captured(tmp_path, newest.id)
    assert mail.subject == confirmation.subject
    assert mail.sender == FROM
    assert mail.to == ["kwame@example.com"]
    assert mail.date is not None
    assert mail.message_id is not None
    assert mail.message_id.endswith("@procus.test>")
    assert mail.text is not None
    assert "http://127.0.0.1:8000/calls/6f1c/lobby" in mail.text
    assert mail.html is not None
    assert mail.html.startswith("<!DOCTYPE html>")
    assert [(a.filename, a.content_type) for a in mail.attachments] == [("invite.ics", "application/ics")]
    assert abs(mail.received_at - newest.received_at) < timedelta(milliseconds=1)

    attachment, data = read_attachment(tmp_path, newest.id, 0)
    assert attachment.filename == "invite.ics"
    assert data == _invite()


def test_unknown_or_malformed_ids_are_not_found(tmp_path: Path) -> None:
    for mail_id in ["20260101T000000000000Z-abcdef", "../../etc/passwd", "index"]:
        with pytest.raises(NotFound):
            read_captured(tmp_path, mail_id)
        with pytest.raises(NotFound):
            read_raw(tmp_path, mail_id)


def test_missing_attachment_is_not_found(tmp_path: Path) -> None:
    raw = build_mime(render_email("password_reset", ["a@x.io"], sample_context("password_reset")), sender=FROM)
    summary = store_message(tmp_path, raw.as_bytes(), envelope_from="no-reply@procus.test", envelope_to=["a@x.io"])
    assert read_captured(tmp_path, summary.id).attachments == []
    with pytest.raises(NotFound):
        read_attachment(tmp_path, summary.id, 0)


def test_only_the_newest_messages_are_kept(tmp_path: Path) -> None:
    raw = build_mime(render_email("password_reset", ["a@x.io"], sample_context("password_reset")), sender=FROM)
    ids = [
        store_message(tmp_path, raw.as_bytes(), envelope_from="x@y.z", envelope_to=["a@x.io"], keep=3).id
        for _ in range(5)
    ]
    assert [summary.id for summary in list_captured(tmp_path)] == list(reversed(ids[2:]))
    assert sorted(path.stem for path in mail_dir(tmp_path).glob("*.eml")) == sorted(ids[2:])


def test_empty_or_damaged_index_lists_nothing(tmp_path: Path) -> None:
    assert list_captured(tmp_path) == []
    mail_dir(tmp_path).mkdir(parents=True)
    (mail_dir(tmp_path) / "index.json").write_text("{not json")
    assert list_captured(tmp_path) == []


def test_extract_links_drops_trailing_punctuation_and_duplicates() -> None:
    text = "Verify: http://a.b/v?t=1&u=2. Or (https://c.d/r), again http://a.b/v?t=1&u=2"
    assert extract_links(text) == ["http://a.b/v?t=1&u=2", "https://c.d/r"]
