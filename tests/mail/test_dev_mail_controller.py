"""GET /dev/mail pages over a minimal app holding only DevMailController."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.datastructures import State
from litestar.testing import AsyncTestClient

from procus.app.problems import exception_handlers
from procus.config import load_settings
from procus.domain.mail import ics_attachment
from procus.handlers.dev_mail import DevMailController, linkify
from procus.integrations.mail.captured import CapturedSummary, store_message
from procus.integrations.mail.mime import build_mime
from procus.services.notices.mail_templates import render_email
from tests.support.mail_samples import sample_context, sample_invite

FROM = "ProcusMeet <no-reply@procus.test>"
START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[AsyncTestClient[Litestar]]:
    app = Litestar(
        route_handlers=[DevMailController],
        state=State({"settings": load_settings({}, data_dir=str(tmp_path))}),
        exception_handlers=exception_handlers,
    )
    async with AsyncTestClient(app) as test_client:
        yield test_client


def _capture(data_dir: Path, template: str, *, with_invite: bool = False, **changes: object) -> CapturedSummary:
    message = render_email(template, ["Ada <ada@example.com>"], sample_context(template, **changes))
    if with_invite:
        invite = sample_invite(booking_id=7, attendee="ada")
        message = message.with_attachment(ics_attachment(invite, "REQUEST"))
    raw = build_mime(message, sender=FROM).as_bytes()
    return store_message(data_dir, raw, envelope_from="no-reply@procus.test", envelope_to=["ada@example.com"])


async def test_empty_list_explains_how_to_get_mail(client: AsyncTestClient[Litestar]) -> None:
    response = await client.get("/dev/mail")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "No mail yet" in response.text
    assert "the dev stack" in response.text, "the stack already runs the catcher: no command to start one"
    assert "mail_capture" not in response.text


async def test_the_json_api_lists_and_reads_captured_mail(client: AsyncTestClient[Litestar], tmp_path: Path) -> None:
    assert (await client.get("/dev/mail/api/messages")).json() == []
    reset = _capture(tmp_path, "password_reset", reset_url="http://127.0.0.1:8000/reset?token=a&b=1")
    verify = _capture(tmp_path, "email_verification")

    listed = (await client.get("/dev/mail/api/messages")).json()
    assert [item["id"] for item in listed] == [verify.id, reset.id]
    assert "http://127.0.0.1:8000/reset?token=a&b=1" in listed[1]["links"]
    for_ada = await client.get("/dev/mail/api/messages", params={"to": "ADA@example.com"})
    assert [item["id"] for item in for_ada.json()] == [verify.id, reset.id]
    assert (await client.get("/dev/mail/api/messages", params={"to": "bob@example.com"})).json() == []

    detail = await client.get(f"/dev/mail/api/messages/{reset.id}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["subject"] == "Reset your ProcusMeet password"
    assert "http://127.0.0.1:8000/reset?token=a&b=1" in body["text"]
    assert (await client.get("/dev/mail/api/messages/nope")).status_code == 404


async def test_list_shows_newest_first_with_clickable_links(client: AsyncTestClient[Litestar], tmp_path: Path) -> None:
    reset = _capture(tmp_path, "password_reset", reset_url="http://127.0.0.1:8000/reset?token=a&b=1")
    verify = _capture(tmp_path, "email_verification")

    response = await client.get("/dev/mail")

    assert response.status_code == 200
    page = response.text
    assert page.index(f'href="/dev/mail/{verify.id}"') < page.index(f'href="/dev/mail/{reset.id}"')
    assert "Reset your ProcusMeet password" in page
    assert 'href="http://127.0.0.1:8000/verify-email?token=def456"' in page
    assert 'href="http://127.0.0.1:8000/reset?token=a&amp;b=1"' in page
    assert "Ada &lt;ada@example.com&gt;" in page


async def test_detail_shows_html_text_links_and_attachments(client: AsyncTestClient[Litestar], tmp_path: Path) -> None:
    summary = _capture(tmp_path, "booking_confirmed", with_invite=True, other_party_name="<b>Kwame</b>")

    response = await client.get(f"/dev/mail/{summary.id}")

    assert response.status_code == 200
    page = response.text
    assert f"<h1>{summary.subject.replace('<', '&lt;').replace('>', '&gt;')}</h1>" in page
    assert "<b>Kwame</b>" not in page
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    assert 'srcdoc="&lt;base target=&#34;_blank&#34;&gt;&lt;!DOCTYPE html&gt;' in page
    assert '<a href="http://127.0.0.1:8000/calls/6f1c/lobby" target="_blank" rel="noopener">' in page
    assert f'href="/dev/mail/{summary.id}/attachments/0">invite.ics</a>' in page
    assert f'href="/dev/mail/{summary.id}/raw"' in page


async def test_attachment_and_raw_downloads(client: AsyncTestClient[Litestar], tmp_path: Path) -> None:
    summary = _capture(tmp_path, "booking_confirmed", with_invite=True)

    attachment = await client.get(f"/dev/mail/{summary.id}/attachments/0")
    raw = await client.get(f"/dev/mail/{summary.id}/raw")

    assert attachment.status_code == 200
    assert attachment.headers["content-type"].startswith("application/ics")
    assert attachment.headers["content-disposition"] == 'attachment; filename="invite.ics"'
    assert attachment.content.startswith(b"BEGIN:VCALENDAR")
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("message/rfc822")
    assert raw.content == (tmp_path / "mail" / f"{summary.id}.eml").read_bytes()


@pytest.mark.parametrize(
    "path",
    [
        "/dev/mail/20260101T000000000000Z-abcdef",
        "/dev/mail/nope",
        "/dev/mail/nope/raw",
        "/dev/mail/20260101T000000000000Z-abcdef/attachments/0",
    ],
)
async def test_unknown_messages_are_404(client: AsyncTestClient[Litestar], path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404


async def test_missing_attachment_is_404(client: AsyncTestClient[Litestar], tmp_path: Path) -> None:
    summary = _capture(tmp_path, "password_reset")
    response = await client.get(f"/dev/mail/{summary.id}/attachments/3")
    assert response.status_code == 404


def test_linkify_escapes_text_and_links_urls() -> None:
    html = linkify('Go to http://a.b/x?y=1&z=2. <script>"hi"</script>')
    assert html == (
        'Go to <a href="http://a.b/x?y=1&amp;z=2" target="_blank" rel="noopener">http://a.b/x?y=1&amp;z=2</a>.'
        " &lt;script&gt;&#34;hi&#34;&lt;/script&gt;"
    )
