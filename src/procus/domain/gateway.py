"""What the payment gateway tells us, in our own words.

These structs are the results of :class:`procus.services.ports.payment_gateway.PaymentGateway`
calls. Amounts are integer minor units (kobo, pesewas, cents) with an ISO currency. Statuses are kept
as the provider's strings (they are open-ended and grow over time); the constants below name the ones
our rules act on.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import msgspec

from procus.domain.payments import ChargeReport

__all__ = [
    "REFUND_FAILED",
    "REFUND_PROCESSED",
    "TRANSACTION_FAILED",
    "TRANSACTION_SUCCESS",
    "TRANSFER_FAILED",
    "TRANSFER_REVERSED",
    "TRANSFER_SUCCESS",
    "Bank",
    "InitializedCheckout",
    "PaymentWebhook",
    "RefundReport",
    "RefundResult",
    "ResolvedAccount",
    "TransferRecipient",
    "TransferReport",
    "TransferResult",
    "VerifiedTransaction",
]

TRANSACTION_SUCCESS: Final = "success"
TRANSACTION_FAILED: Final = "failed"
"""A declined collection: its checkout can no longer be paid, so a new one may be started."""
REFUND_PROCESSED: Final = "processed"
REFUND_FAILED: Final = "failed"
TRANSFER_SUCCESS: Final = "success"
TRANSFER_FAILED: Final = "failed"
TRANSFER_REVERSED: Final = "reversed"


class InitializedCheckout(msgspec.Struct, frozen=True, kw_only=True):
    """A hosted checkout the customer is sent to; being sent there proves nothing about payment."""

    authorization_url: str
    access_code: str
    reference: str


class VerifiedTransaction(msgspec.Struct, frozen=True, kw_only=True):
    """The provider's authoritative view of a collection (``status`` e.g. success, failed, abandoned)."""

    id: int
    reference: str
    status: str
    amount: int
    currency: str
    paid_at: datetime | None

    @property
    def succeeded(self) -> bool:
        return self.status == TRANSACTION_SUCCESS


class RefundResult(msgspec.Struct, frozen=True, kw_only=True):
    """A refund (``status`` pending, processing, needs-attention, processed, failed).

    ``transaction_reference`` is None when the provider only names the transaction by id (Paystack's
    fetch-refund response does that); ``transaction_id`` is always known.
    """

    id: int
    status: str
    amount: int
    currency: str
    transaction_id: int
    transaction_reference: str | None


class TransferRecipient(msgspec.Struct, frozen=True, kw_only=True):
    """Where payouts go; only the last four digits of the account are kept."""

    recipient_code: str
    bank_code: str
    account_last4: str
    name: str
    currency: str


class TransferResult(msgspec.Struct, frozen=True, kw_only=True):
    """A payout (``status`` pending, success, failed, reversed, otp, ...); ``reference`` is ours."""

    reference: str
    transfer_code: str
    status: str
    amount: int
    currency: str


class Bank(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    code: str
    currency: str


class ResolvedAccount(msgspec.Struct, frozen=True, kw_only=True):
    """The name the bank holds for an account number: shown to the expert before they save it."""

    account_number: str
    account_name: str


class RefundReport(msgspec.Struct, frozen=True, kw_only=True):
    """A refund event: ``status`` pending, processing, processed, failed (or needs-attention)."""

    id: int
    status: str
    transaction_reference: str
    amount: int
    currency: str


class TransferReport(msgspec.Struct, frozen=True, kw_only=True):
    """A transfer event; ``reference`` is our payout's reference."""

    reference: str
    status: str
    amount: int
    currency: str
    transfer_code: str | None = None
    reason: str | None = None


class PaymentWebhook(msgspec.Struct, frozen=True, kw_only=True):
    """One verified webhook delivery, read by the gateway's adapter into what our rules act on.

    ``key`` identifies the delivery with ``event`` (None: nothing to know it by); ``report`` is
    None for an event we do not act on, and also when ``unreadable`` says why one we act on could
    not be read.
    """

    event: str
    key: str | None
    data: dict[str, Any]
    report: ChargeReport | RefundReport | TransferReport | None = None
    unreadable: str | None = None
