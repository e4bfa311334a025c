"""Every email the platform sends, rendered from one template folder (``procus/templates/email``).

Each email ``name`` is a pair ``name.txt.j2`` + ``name.html.j2`` extending shared layouts. The subject
is the ``{% block subject %}`` of the text template (rendered once and handed to the HTML layout as
``subject``). Undefined variables are errors, never blanks: :data:`EMAIL_TEMPLATES` lists the context
each email needs, and callers pass exactly that (values documented as optional may be ``None``).
Times are aware datetimes, shown in the recipient's IANA zone ``tz`` by the ``localtime`` and
``timerange`` filters; money is a :class:`procus.domain.money.Money`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from procus.domain.errors import InvalidInput
from procus.domain.mail import EmailMessage
from procus.domain.money import Money

__all__ = ["APP_NAME", "EMAIL_TEMPLATES", "duration", "localtime", "money", "render_email", "timerange"]

APP_NAME = "ProcusMeet"

_BOOKING = ("recipient_name", "topic", "tz")
EMAIL_TEMPLATES: Mapping[str, tuple[str, ...]] = {
    # to the expert; message: the client's note or None
    "booking_requested": (*_BOOKING, "client_name", "starts_at", "ends_at", "message", "respond_by", "booking_url"),
    # to both parties (the caller attaches the REQUEST invite)
    "booking_confirmed": (*_BOOKING, "other_party_name", "starts_at", "ends_at", "join_url", "booking_url"),
    # to the client; reason may be None
    "booking_declined": (*_BOOKING, "expert_name", "starts_at", "reason", "booking_url"),
    # to the party who must answer; message may be None
    "reschedule_proposed": (
        *_BOOKING,
        "proposer_name",
        "old_starts_at",
        "new_starts_at",
        "new_ends_at",
        "message",
        "booking_url",
    ),
    # to both parties (the caller attaches the updated REQUEST invite, SEQUENCE + 1)
    "reschedule_accepted": (
        *_BOOKING,
        "other_party_name",
        "old_starts_at",
        "new_starts_at",
        "new_ends_at",
        "join_url",
        "booking_url",
    ),
    # to both parties (the caller attaches the CANCEL invite); reason and refund (Money) may be None
    "booking_cancelled": (
        *_BOOKING,
        "other_party_name",
        "cancelled_by_you",
        "starts_at",
        "reason",
        "refund",
        "booking_url",
    ),
    "booking_reminder_24h": (*_BOOKING, "other_party_name", "starts_at", "ends_at", "join_url"),
    "booking_reminder_15m": (*_BOOKING, "other_party_name", "starts_at", "ends_at", "join_url"),
    "payment_receipt": (*_BOOKING, "expert_name", "starts_at", "amount", "reference", "paid_at", "booking_url"),
    # reason may be None
    "refund_issued": (*_BOOKING, "starts_at", "amount", "reference", "reason", "refunded_at"),
    # status: pending | processing | paid | failed; reason may be None
    "payout_status": ("recipient_name", "tz", "amount", "status", "reference", "reason", "updated_at", "payouts_url"),
    # expires_in: whole seconds the link stays valid
    "password_reset": ("recipient_name", "reset_url", "expires_in"),
    "email_verification": ("recipient_name", "verify_url", "expires_in"),
    # to the owner of an address someone tried to register again
    "registration_attempt": ("recipient_name", "sign_in_url", "reset_url"),
    # the fallback for an important in-app notification left unread; action_url may be None
    "unread_notification": ("recipient_name", "tz", "title", "body", "action_url", "created_at", "notifications_url"),
}

_MINOR_DIGITS = {"RWF": 0, "XOF": 0}
_EN_DASH = "\u2013"


def render_email(template: str, to: list[str], context: Mapping[str, Any]) -> EmailMessage:
    """Render email ``template`` for ``to``. Context keys: see :data:`EMAIL_TEMPLATES`.

    ``public_url`` may be added to any context to link the footer to the site.
    """
    if template not in EMAIL_TEMPLATES:
        raise LookupError(f"no email template named {template!r}")
    env = _environment()
    values = {"app_name": APP_NAME, **context}
    text_template = env.get_template(f"{template}.txt.j2")
    subject = " ".join("".join(text_template.blocks["subject"](text_template.new_context(values))).split())
    values["subject"] = subject
    return EmailMessage(
        to=list(to),
        subject=subject,
        text=text_template.render(values),
        html=env.get_template(f"{template}.html.j2").render(values),
        headers={"Auto-Submitted": "auto-generated"},
    )


def localtime(moment: datetime, tz: str, fmt: str = "full") -> str:
    """``Tuesday 4 March 2025, 14:30 WAT`` (``fmt``: ``full``, ``date`` or ``time``) in zone ``tz``."""
    local = _in_zone(moment, tz)
    date = f"{local:%A} {local.day} {local:%B %Y}"
    time = f"{local:%H:%M} {_zone_label(local)}"
    if fmt == "date":
        return date
    if fmt == "time":
        return time
    return f"{date}, {time}"


def timerange(start: datetime, end: datetime, tz: str) -> str:
    """``Tuesday 4 March 2025, 14:30 - 15:00 WAT`` (with an en dash); both dates in full when they differ locally."""
    local_start, local_end = _in_zone(start, tz), _in_zone(end, tz)
    if local_start.date() != local_end.date():
        return f"{localtime(start, tz)} {_EN_DASH} {localtime(end, tz)}"
    return f"{localtime(start, tz, 'date')}, {local_start:%H:%M} {_EN_DASH} {localtime(end, tz, 'time')}"


def money(value: Money) -> str:
    """``NGN 15,000.00`` from minor units, with the currency's number of decimals."""
    digits = _MINOR_DIGITS.get(value.currency, 2)
    sign = "-" if value.amount < 0 else ""
    whole, fraction = divmod(abs(value.amount), 10**digits)
    amount = f"{whole:,}" + (f".{fraction:0{digits}d}" if digits else "")
    return f"{value.currency} {sign}{amount}"


def duration(seconds: int) -> str:
    """``3 days``, ``1 hour``, ``30 minutes``: the largest unit that divides ``seconds`` exactly."""
    for size, unit in ((86_400, "day"), (3_600, "hour")):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    minutes = max(1, -(-seconds // 60))
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


def _in_zone(moment: datetime, tz: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("naive_datetime", "email times must be timezone-aware")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidInput("invalid_timezone", f"unknown time zone {tz!r}", field="tz") from exc
    return moment.astimezone(zone)


def _zone_label(local: datetime) -> str:
    abbreviation = local.tzname() or ""
    if abbreviation.isalpha():
        return abbreviation
    offset = local.strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("procus", "templates/email"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(localtime=localtime, timerange=timerange, money=money, duration=duration)
    return env
