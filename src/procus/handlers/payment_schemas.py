"""Request and response shapes for payments, payouts and refunds. Money is integer minor units + currency."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec

from procus.domain.gateway import Bank
from procus.domain.payment_states import PaymentStatus, RefundStatus
from procus.domain.payments import PaymentProgress, PaymentReading, Refund
from procus.domain.payout_states import PayoutStatus
from procus.domain.payouts import ExpertBalance, Payout, PayoutAccount

__all__ = [
    "BalanceOut",
    "BankOut",
    "PaymentOut",
    "PayoutAccountIn",
    "PayoutAccountOut",
    "PayoutCreate",
    "PayoutOut",
    "RefundOut",
    "RefundRequeue",
    "WebhookAck",
]

Currency = Annotated[str, msgspec.Meta(pattern="^[A-Z]{3}$", examples=["NGN"])]
MinorUnits = Annotated[int, msgspec.Meta(ge=1, description="Integer minor units (kobo, pesewas, cents)")]


class WebhookAck(msgspec.Struct, frozen=True):
    status: str


class PaymentOut(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    booking_id: uuid.UUID
    status: PaymentProgress
    """``refund_pending`` while money decided to go back has not reached the payer yet."""
    amount: int
    currency: str
    refunded_amount: int
    paid_at: dt.datetime | None
    authorization_url: str | None
    """Where to pay, while the payment is pending."""

    @classmethod
    def of(cls, reading: PaymentReading) -> PaymentOut:
        payment = reading.payment
        return cls(
            reference=payment.reference,
            booking_id=payment.booking_id,
            status=reading.progress,
            amount=payment.amount,
            currency=payment.currency,
            refunded_amount=payment.refunded_amount,
            paid_at=payment.paid_at,
            authorization_url=payment.authorization_url if payment.status is PaymentStatus.PENDING else None,
        )


class BalanceOut(msgspec.Struct, frozen=True, kw_only=True):
    """Per currency: ``available`` to withdraw, ``pending`` payouts on their way, ``paid_out`` so far, and
    ``held``: clients' payments for upcoming calls, before the platform fee."""

    currency: str
    available: int
    pending: int
    paid_out: int
    held: int

    @classmethod
    def of(cls, balance: ExpertBalance) -> BalanceOut:
        return msgspec.convert(balance, cls, from_attributes=True)


class BankOut(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    code: str
    currency: str

    @classmethod
    def of(cls, bank: Bank) -> BankOut:
        return msgspec.convert(bank, cls, from_attributes=True)


class PayoutAccountIn(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    bank_code: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    account_number: Annotated[str, msgspec.Meta(min_length=6, max_length=20, pattern="^[0-9]+$")]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    currency: Currency = "NGN"


class PayoutAccountOut(msgspec.Struct, frozen=True, kw_only=True):
    """Only the last four digits of the account number are ever shown."""

    currency: str
    bank_code: str
    account_last4: str
    name: str
    updated_at: dt.datetime

    @classmethod
    def of(cls, account: PayoutAccount) -> PayoutAccountOut:
        return msgspec.convert(account, cls, from_attributes=True)


class PayoutCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    amount: MinorUnits
    currency: Currency | None = None
    """Defaults to the currency of the expert's only payout account."""


class PayoutOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    reference: str
    amount: int
    currency: str
    status: PayoutStatus
    failure_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, payout: Payout) -> PayoutOut:
        return msgspec.convert(payout, cls, from_attributes=True)


class RefundOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    payment_id: uuid.UUID
    amount: int
    currency: str
    status: RefundStatus
    reason: str
    provider_refund_id: int | None
    attempts: int
    last_error: str | None
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, refund: Refund) -> RefundOut:
        return msgspec.convert(refund, cls, from_attributes=True)


class RefundRequeue(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    confirmed_not_refunded: bool = False
    """For a refund whose outcome is unknown: an admin checked at Paystack that no refund was made."""
