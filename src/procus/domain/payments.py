"""A booking's payment held in escrow, and the refunds given back from it."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

import msgspec

from procus.domain.payment_states import PaymentStatus, RefundStatus

__all__ = [
    "ChargeReport",
    "Payment",
    "PaymentEvent",
    "PaymentProgress",
    "PaymentReading",
    "Refund",
    "is_booking_reference",
    "payment_reference",
]

_PREFIX = "bk-"


class Payment(msgspec.Struct, frozen=True, kw_only=True):
    """``amount``/``currency``: the booking's price; ``received_*``: what the provider confirmed."""

    id: uuid.UUID
    booking_id: uuid.UUID
    reference: str
    client_id: uuid.UUID
    expert_id: uuid.UUID
    amount: int
    currency: str
    status: PaymentStatus
    authorization_url: str
    provider_transaction_id: int | None
    received_amount: int | None
    received_currency: str | None
    paid_at: dt.datetime | None
    refunded_amount: int
    expert_amount: int
    fee_amount: int
    fee_bps: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def received(self) -> bool:
        return self.received_amount is not None


class PaymentProgress(enum.StrEnum):
    """Where the payer's money is, as they are told: the escrow's status, except that money decided to
    go back reads ``refund_pending`` until the provider confirms it reached them."""

    PENDING = "pending"
    HELD = "held"
    RELEASED = "released"
    REFUND_PENDING = "refund_pending"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    FAILED = "failed"


class PaymentReading(msgspec.Struct, frozen=True, kw_only=True):
    """A payment with the part of its refunds the provider has not confirmed yet."""

    payment: Payment
    unconfirmed_refunds: int = 0

    @property
    def progress(self) -> PaymentProgress:
        if self.unconfirmed_refunds and self.payment.status in _REFUNDING:
            return PaymentProgress.REFUND_PENDING
        return PaymentProgress(self.payment.status.value)


_REFUNDING = frozenset({PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED})


class Refund(msgspec.Struct, frozen=True, kw_only=True):
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
    processed_at: dt.datetime | None


class PaymentEvent(msgspec.Struct, frozen=True, kw_only=True):
    """One change of a payment (or of one of its refunds), from ``payment_events``."""

    id: int
    payment_id: uuid.UUID
    refund_id: uuid.UUID | None
    from_status: str | None
    to_status: str
    reason: str
    detail: dict[str, Any]
    created_at: dt.datetime


class ChargeReport(msgspec.Struct, frozen=True, kw_only=True):
    """A successful charge as the provider reported it (webhook or verification)."""

    reference: str
    transaction_id: int
    amount: int
    currency: str
    paid_at: dt.datetime | None


def payment_reference(booking_id: uuid.UUID, attempt: str) -> str:
    """The provider reference of a booking's payment: names the booking, unique per checkout attempt."""
    return f"{_PREFIX}{booking_id.hex}-{attempt}"


def is_booking_reference(reference: str) -> bool:
    """Whether a provider reference is one of ours (other payments may share the Paystack account)."""
    return reference.startswith(_PREFIX)
