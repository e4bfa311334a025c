"""Every email renders in text and HTML from the one template folder, strictly and safely."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import markupsafe
import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import UndefinedError

from procus.domain.errors import InvalidInput
from procus.domain.money import Money
from procus.services.notices.mail_templates import (
    EMAIL_TEMPLATES,
    duration,
    localtime,
    money,
    render_email,
    timerange,
)
from tests.support.mail_samples import SAMPLE_CONTEXTS, sample_context

TEMPLATES = sorted(EMAIL_TEMPLATES)


def test_every_template_has_a_sample_with_exactly_its_documented_context() -> None:
    assert set(SAMPLE_CONTEXTS) == set(EMAIL_TEMPLATES)
    for name, keys in EMAIL_TEMPLATES.items():
        assert set(SAMPLE_CONTEXTS[name]) == set(keys), name


@pytest.mark.parametrize("template", TEMPLATES)
def test_renders_text_html_and_subject(template: str) -> None:
    message = render_email(template, ["Ada Obi <ada@example.com>"], SAMPLE_CONTEXTS[template])

    assert message.to == ["Ada Obi <ada@example.com>"]
    assert message.subject
    assert "\n" not in message.subject
    assert message.subject == message.subject.strip()
    assert message.text.startswith("Hi ")
    assert message.html is not None
    assert message.html.startswith("<!DOCTYPE html>")
    assert f"<title>{_html_escape(message.subject)}</title>" in message.html
    assert message.headers == {"Auto-Submitted": "auto-generated"}
    _assert_well_formed(message.html)
    for url in _sample_urls(template):
        assert url in message.text
        assert f'href="{url}"' in message.html


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_documented_key_is_required(template: str) -> None:
    """StrictUndefined: a caller that forgets a value gets an error, never a blank in the email."""
    for key in EMAIL_TEMPLATES[template]:
        context = {k: v for k, v in SAMPLE_CONTEXTS[template].items() if k != key}
        with pytest.raises(UndefinedError):
            render_email(template, ["ada@example.com"], context)


@pytest.mark.parametrize("template", TEMPLATES)
def test_optional_values_may_be_none(template: str) -> None:
    optional = {"message", "reason", "refund", "action_url"} & set(EMAIL_TEMPLATES[template])
    message = render_email(template, ["ada@example.com"], sample_context(template, **dict.fromkeys(optional)))
    assert "None" not in message.text
    assert "None" not in (message.html or "")


def test_times_are_shown_in_the_recipients_zone() -> None:
    lagos = render_email("booking_confirmed", ["a@x.io"], sample_context("booking_confirmed", tz="Africa/Lagos"))
    tokyo = render_email("booking_confirmed", ["a@x.io"], sample_context("booking_confirmed", tz="Asia/Tokyo"))
    assert "Tuesday 3 March 2026, 14:30 \u2013 15:15 WAT" in lagos.text
    assert "Tuesday 3 March 2026, 22:30 \u2013 23:15 JST" in tokyo.text
    assert "Asia/Tokyo" in tokyo.text


def test_user_text_is_escaped_in_html_but_verbatim_in_text() -> None:
    evil = '<script>alert("x")</script> & <b>'
    message = render_email(
        "booking_requested", ["a@x.io"], sample_context("booking_requested", client_name=evil, message=evil)
    )
    assert evil in message.text
    assert message.html is not None
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;" in message.html


def test_cancellation_names_who_cancelled() -> None:
    by_other = render_email("booking_cancelled", ["a@x.io"], sample_context("booking_cancelled"))
    by_me = render_email("booking_cancelled", ["a@x.io"], sample_context("booking_cancelled", cancelled_by_you=True))
    assert "Dr. Efua Asante cancelled your consultation" in by_other.text
    assert "You cancelled your consultation with Dr. Efua Asante" in by_me.text
    assert "NGN 25,000.00" in by_me.text


@pytest.mark.parametrize(
    ("status", "phrase"),
    [
        ("pending", "has been requested"),
        ("processing", "is being transferred"),
        ("paid", "has been paid"),
        ("failed", "could not be paid"),
    ],
)
def test_payout_status_wording(status: str, phrase: str) -> None:
    message = render_email("payout_status", ["a@x.io"], sample_context("payout_status", status=status))
    assert f"Your payout of NGN 90,000.00 {phrase}" in message.text
    assert ("request the payout again" in message.text) == (status == "failed")


def test_links_with_query_strings_survive_in_html() -> None:
    url = "http://127.0.0.1:8000/reset-password?token=abc&next=%2Fme"
    message = render_email("password_reset", ["a@x.io"], sample_context("password_reset", reset_url=url))
    assert url in message.text
    assert 'href="http://127.0.0.1:8000/reset-password?token=abc&amp;next=%2Fme"' in (message.html or "")
    assert "expires in 1 hour" in message.text


def test_unknown_template_is_an_error() -> None:
    with pytest.raises(LookupError):
        render_email("no_such_email", ["a@x.io"], {})


def test_public_url_is_optional_and_linked_in_the_footer() -> None:
    message = render_email(
        "email_verification", ["a@x.io"], sample_context("email_verification", public_url="https://procus.example")
    )
    assert "ProcusMeet · https://procus.example" in message.text
    assert 'href="https://procus.example"' in (message.html or "")


MOMENT = datetime(2026, 3, 3, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "fmt", "expected"),
    [
        ("Africa/Lagos", "full", "Tuesday 3 March 2026, 14:30 WAT"),
        ("Africa/Lagos", "date", "Tuesday 3 March 2026"),
        ("Africa/Lagos", "time", "14:30 WAT"),
        ("America/New_York", "full", "Tuesday 3 March 2026, 08:30 EST"),
        ("America/Sao_Paulo", "time", "10:30 UTC-03:00"),
        ("Asia/Kolkata", "time", "19:00 IST"),
        ("UTC", "full", "Tuesday 3 March 2026, 13:30 UTC"),
    ],
)
def test_localtime(tz: str, fmt: str, expected: str) -> None:
    assert localtime(MOMENT, tz, fmt) == expected


def test_localtime_follows_daylight_saving() -> None:
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert localtime(summer, "Europe/London") == "Wednesday 1 July 2026, 13:00 BST"


def test_localtime_refuses_naive_times_and_unknown_zones() -> None:
    with pytest.raises(InvalidInput):
        localtime(datetime(2026, 3, 3, 13, 30), "Africa/Lagos")
    with pytest.raises(InvalidInput):
        localtime(MOMENT, "Mars/Olympus_Mons")


def test_timerange_spanning_local_midnight_shows_both_dates() -> None:
    start = datetime(2026, 3, 3, 22, 30, tzinfo=UTC)
    assert timerange(start, start + timedelta(hours=1), "Africa/Lagos") == (
        "Tuesday 3 March 2026, 23:30 WAT \u2013 Wednesday 4 March 2026, 00:30 WAT"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Money(2_500_000, "NGN"), "NGN 25,000.00"),
        (Money(5, "USD"), "USD 0.05"),
        (Money(0, "GHS"), "GHS 0.00"),
        (Money(150_000, "RWF"), "RWF 150,000"),
        (Money(-1_050, "EUR"), "EUR -10.50"),
    ],
)
def test_money(value: Money, expected: str) -> None:
    assert money(value) == expected


@given(amount=st.integers(min_value=-(10**12), max_value=10**12))
def test_money_round_trips_to_minor_units(amount: int) -> None:
    text = money(Money(amount, "NGN")).removeprefix("NGN ")
    assert Decimal(text.replace(",", "")) * 100 == amount


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (3600, "1 hour"),
        (7200, "2 hours"),
        (3 * 86_400, "3 days"),
        (86_400, "1 day"),
        (1800, "30 minutes"),
        (61, "2 minutes"),
        (30, "1 minute"),
    ],
)
def test_duration(seconds: int, expected: str) -> None:
    assert duration(seconds) == expected


def _sample_urls(template: str) -> list[str]:
    return [
        value for value in SAMPLE_CONTEXTS[template].values() if isinstance(value, str) and value.startswith("http")
    ]


def _html_escape(text: str) -> str:
    return str(markupsafe.escape(text))


_VOID = {"meta", "br", "img", "hr", "input", "link"}


class _TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"unexpected </{tag}>"
        assert self.stack[-1] == tag, f"unexpected </{tag}> with open {self.stack}"
        self.stack.pop()


def _assert_well_formed(html: str) -> None:
    parser = _TagBalance()
    parser.feed(re.sub(r"<!DOCTYPE[^>]*>", "", html))
    parser.close()
    assert parser.stack == []
