"""What people are told when money moves: the one place payments notify anyone.

Every notice is an in-app notification with its email (``procus.services.notices.notifications.notify``),
written in the transaction that moves the money, with a dedupe key so a replayed webhook or job
never tells anyone twice. The expert hears of a new request only once it is paid, through the
bookings notice ``request_paid``.
"""

from __future__ import annotations

import datetime as dt

from procus.domain.errors import InvalidInput
from procus.domain.money import Money
from procus.domain.payments import Payment, Refund
from procus.domain.payout_states import PayoutStatus
from procus.domain.payouts import Payout
from procus.services.notices.bookings import BookingNotices
from procus.services.notices.links import BookingLinks
from procus.services.notices.mail_templates import money
from procus.services.notices.notifications import EmailSpec, notify
from procus.store import bookings as booking_store
from procus.store.db import Connection

__all__ = ["PaymentNotices"]

_PAYOUT_WORDS = {
    PayoutStatus.PAID: ("paid", "Payout paid", "has been paid to your bank account"),
    PayoutStatus.FAILED: ("failed", "Payout failed", "could not be paid; the amount is back in your balance"),
    PayoutStatus.REVERSED: (
        "failed",
        "Payout reversed",
        "was returned by the bank; the amount is back in your balance",
    ),
}


def _money(amount: int, currency: str) -> Money | None:
    try:
        return Money(amount, currency)
    except InvalidInput:
        return None


def _text(amount: int, currency: str) -> str:
    value = _money(amount, currency)
    return money(value) if value is not None else f"{currency} {amount} (minor units)"


class PaymentNotices:
    def __init__(self, bookings: BookingNotices, public_url: str) -> None:
        self._bookings = bookings
        self._base = public_url.rstrip("/")
        self._links = BookingLinks(public_url)

    async def booking_paid(self, tx: Connection, payment: Payment, now: dt.datetime) -> None:
        """The expert gets the request; the client gets the receipt."""
        await self._bookings.request_paid(tx, payment.booking_id, now)
        view = await booking_store.get_view(tx, payment.booking_id)
        path = self._links.booking_path(payment.booking_id)
        amount = Money(payment.amount, payment.currency)
        await notify(
            tx,
            user_id=payment.client_id,
            kind="payment.succeeded",
            title="Payment received",
            body=f"We hold {money(amount)} until your consultation with {view.expert.full_name} has taken place.",
            data={"booking_id": str(payment.booking_id), "reference": payment.reference, "url": path},
            now=now,
            email=EmailSpec(
                template="payment_receipt",
                context={
                    "topic": view.area_title,
                    "expert_name": view.expert.full_name,
                    "starts_at": view.booking.starts_at,
                    "amount": amount,
                    "reference": payment.reference,
                    "paid_at": payment.paid_at or now,
                    "booking_url": self._links.booking(payment.booking_id),
                },
            ),
            dedupe_key=f"payment-received:{payment.id}",
        )

    async def refund_processed(self, tx: Connection, payment: Payment, refund: Refund, now: dt.datetime) -> None:
        view = await booking_store.get_view(tx, payment.booking_id)
        amount = _money(refund.amount, refund.currency)
        email = None
        if amount is not None:
            email = EmailSpec(
                template="refund_issued",
                context={
                    "topic": view.area_title,
                    "starts_at": view.booking.starts_at,
                    "amount": amount,
                    "reference": payment.reference,
                    "reason": refund.reason or None,
                    "refunded_at": refund.processed_at or now,
                },
            )
        await notify(
            tx,
            user_id=payment.client_id,
            kind="payment.refunded",
            title="Refund issued",
            body=f"We have refunded {_text(refund.amount, refund.currency)} for your consultation about "
            f"{view.area_title}.",
            data={
                "booking_id": str(payment.booking_id),
                "refund_id": str(refund.id),
                "url": self._links.booking_path(payment.booking_id),
            },
            now=now,
            email=email,
            dedupe_key=f"refund-processed:{refund.id}",
        )

    async def payout_changed(self, tx: Connection, payout: Payout, now: dt.datetime) -> None:
        """Paid, failed or reversed: each is told once."""
        words = _PAYOUT_WORDS.get(payout.status)
        if words is None:
            return
        status, title, outcome = words
        amount = Money(payout.amount, payout.currency)
        await notify(
            tx,
            user_id=payout.expert_id,
            kind=f"payout.{payout.status}",
            title=title,
            body=f"Your payout of {money(amount)} {outcome}.",
            data={"payout_id": str(payout.id), "url": "/payouts"},
            now=now,
            important=payout.status is not PayoutStatus.PAID,
            email=EmailSpec(
                template="payout_status",
                context={
                    "amount": amount,
                    "status": status,
                    "reference": payout.reference,
                    "reason": payout.failure_reason,
                    "updated_at": payout.updated_at,
                    "payouts_url": f"{self._base}/payouts",
                },
            ),
            dedupe_key=f"payout-{payout.status}:{payout.id}",
        )
