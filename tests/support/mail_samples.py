"""A sample context for every email template, for tests and for previewing the emails."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from procus.domain.money import Money

__all__ = ["SAMPLE_CONTEXTS", "sample_context"]

_START = datetime(2026, 3, 3, 13, 30, tzinfo=UTC)
_END = _START + timedelta(minutes=45)
_BOOKING_URL = "http://127.0.0.1:8000/bookings/6f1c"
_JOIN_URL = "http://127.0.0.1:8000/calls/6f1c/lobby"
_COMMON = {"recipient_name": "Ada Obi", "tz": "Africa/Lagos", "topic": "Export tax in Ghana"}

SAMPLE_CONTEXTS: dict[str, dict[str, Any]] = {
    "booking_requested": {
        **_COMMON,
        "client_name": "Kwame Mensah",
        "starts_at": _START,
        "ends_at": _END,
        "message": "I export cocoa and need advice on VAT.\nThanks!",
        "respond_by": _START - timedelta(hours=20),
        "booking_url": _BOOKING_URL,
    },
    "booking_confirmed": {
        **_COMMON,
        "other_party_name": "Kwame Mensah",
        "starts_at": _START,
        "ends_at": _END,
        "join_url": _JOIN_URL,
        "booking_url": _BOOKING_URL,
    },
    "booking_declined": {
        **_COMMON,
        "expert_name": "Dr. Efua Asante",
        "starts_at": _START,
        "reason": "I am travelling that week.",
        "booking_url": _BOOKING_URL,
    },
    "reschedule_proposed": {
        **_COMMON,
        "proposer_name": "Dr. Efua Asante",
        "old_starts_at": _START,
        "new_starts_at": _START + timedelta(days=1),
        "new_ends_at": _END + timedelta(days=1),
        "message": "Could we do Wednesday instead?",
        "booking_url": _BOOKING_URL,
    },
    "reschedule_accepted": {
        **_COMMON,
        "other_party_name": "Kwame Mensah",
        "old_starts_at": _START,
        "new_starts_at": _START + timedelta(days=1),
        "new_ends_at": _END + timedelta(days=1),
        "join_url": _JOIN_URL,
        "booking_url": _BOOKING_URL,
    },
    "booking_cancelled": {
        **_COMMON,
        "other_party_name": "Dr. Efua Asante",
        "cancelled_by_you": False,
        "starts_at": _START,
        "reason": "Illness",
        "refund": Money(2_500_000, "NGN"),
        "booking_url": _BOOKING_URL,
    },
    "booking_reminder_24h": {
        **_COMMON,
        "other_party_name": "Dr. Efua Asante",
        "starts_at": _START,
        "ends_at": _END,
        "join_url": _JOIN_URL,
    },
    "booking_reminder_15m": {
        **_COMMON,
        "other_party_name": "Dr. Efua Asante",
        "starts_at": _START,
        "ends_at": _END,
        "join_url": _JOIN_URL,
    },
    "payment_receipt": {
        **_COMMON,
        "expert_name": "Dr. Efua Asante",
        "starts_at": _START,
        "amount": Money(2_500_000, "NGN"),
        "reference": "PSK_5f2a9c",
        "paid_at": _START - timedelta(days=2),
        "booking_url": _BOOKING_URL,
    },
    "refund_issued": {
        **_COMMON,
        "starts_at": _START,
        "amount": Money(2_500_000, "NGN"),
        "reference": "RF_77d1",
        "reason": "The expert declined the booking.",
        "refunded_at": _START - timedelta(days=1),
    },
    "payout_status": {
        "recipient_name": "Dr. Efua Asante",
        "tz": "Africa/Accra",
        "amount": Money(9_000_000, "NGN"),
        "status": "failed",
        "reference": "PO_19ab",
        "reason": "The bank rejected the account number.",
        "updated_at": _START,
        "payouts_url": "http://127.0.0.1:8000/expert/payouts",
    },
    "password_reset": {
        "recipient_name": "Ada Obi",
        "reset_url": "http://127.0.0.1:8000/reset-password?token=abc123",
        "expires_in": 3600,
    },
    "email_verification": {
        "recipient_name": "Ada Obi",
        "verify_url": "http://127.0.0.1:8000/verify-email?token=def456",
        "expires_in": 3 * 24 * 3600,
    },
    "registration_attempt": {
        "recipient_name": "Ada Obi",
        "sign_in_url": "http://127.0.0.1:8000/sign-in",
        "reset_url": "http://127.0.0.1:8000/forgot-password",
    },
    "unread_notification": {
        "recipient_name": "Ada Obi",
        "tz": "Africa/Lagos",
        "title": "Kwame Mensah sent you a booking request",
        "body": "Export tax in Ghana, Tuesday 3 March 2026.",
        "action_url": _BOOKING_URL,
        "created_at": _START - timedelta(days=3),
        "notifications_url": "http://127.0.0.1:8000/notifications",
    },
}


def sample_context(template: str, **changes: Any) -> dict[str, Any]:
    return {**SAMPLE_CONTEXTS[template], **changes}


INVITE_START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def sample_invite(*, booking_id: int = 42, attendee: str = "kwame", stamp: datetime | None = None) -> bytes:
    """A 30-minute REQUEST invite from Efua to ``attendee`` at :data:`INVITE_START`."""
    from procus.services.notices.calendar_invite import build_invite

    return build_invite(
        booking_id=booking_id,
        method="REQUEST",
        sequence=0,
        starts_at=INVITE_START,
        ends_at=INVITE_START + timedelta(minutes=30),
        summary="Export tax",
        description="",
        join_url=f"http://127.0.0.1:8000/calls/{booking_id}",
        organizer_email="efua@example.com",
        organizer_name="Efua",
        attendee_email=f"{attendee}@example.com",
        attendee_name=attendee.capitalize(),
        stamp=stamp,
    )
