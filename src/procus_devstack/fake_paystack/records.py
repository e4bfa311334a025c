"""The fake's records: what Paystack keeps about transactions, refunds, recipients and transfers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .banks import FakeBank

__all__ = ["SUCCESS_CARD", "PaystackError", "Recipient", "Refund", "Transaction", "Transfer", "now"]

SUCCESS_CARD = "4084084084084081"


class PaystackError(Exception):
    """A refusal, answered as ``{"status": false, "message": ...}`` with ``status_code``."""

    def __init__(self, status_code: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.code = code


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Transaction:
    id: int
    reference: str
    access_code: str
    email: str
    amount: int
    currency: str
    callback_url: str | None
    metadata: Any
    created_at: datetime
    status: str = "abandoned"
    paid_at: datetime | None = None
    card_number: str = SUCCESS_CARD
    refunds: list[Refund] = field(default_factory=list)

    @property
    def refundable(self) -> int:
        return self.amount - sum(refund.amount for refund in self.refunds if refund.status != "failed")


@dataclass
class Refund:
    id: int
    transaction: Transaction
    amount: int
    currency: str
    customer_note: str
    merchant_note: str
    created_at: datetime
    status: str = "pending"
    refunded_at: datetime | None = None


@dataclass
class Recipient:
    id: int
    recipient_code: str
    type: str
    name: str
    account_number: str
    bank: FakeBank
    currency: str
    created_at: datetime


@dataclass
class Transfer:
    id: int
    reference: str
    transfer_code: str
    amount: int
    currency: str
    recipient: Recipient
    reason: str
    created_at: datetime
    status: str = "pending"
    transferred_at: datetime | None = None
