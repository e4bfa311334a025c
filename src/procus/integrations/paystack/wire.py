"""Paystack's JSON shapes, only the fields we read; unknown fields are ignored.

Decoding is lax (``strict=False``) because Paystack is not consistent about numbers sent as strings.
"""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

import msgspec

from procus.domain.errors import InvalidInput, ServiceUnavailable
from procus.domain.gateway import (
    Bank,
    InitializedCheckout,
    RefundResult,
    ResolvedAccount,
    TransferRecipient,
    TransferResult,
    VerifiedTransaction,
)

__all__ = [
    "BankData",
    "BankPage",
    "Envelope",
    "ErrorBody",
    "InitializeData",
    "RecipientData",
    "RefundData",
    "ResolvedAccountData",
    "TransactionData",
    "TransferData",
    "data_of",
    "decode",
]

T = TypeVar("T")


class Envelope(msgspec.Struct, Generic[T]):
    status: bool
    data: T
    message: str = ""


class ErrorBody(msgspec.Struct):
    status: bool = False
    message: str = ""
    code: str | None = None


class InitializeData(msgspec.Struct):
    authorization_url: str
    access_code: str
    reference: str

    def to_domain(self) -> InitializedCheckout:
        return InitializedCheckout(
            authorization_url=self.authorization_url, access_code=self.access_code, reference=self.reference
        )


class TransactionData(msgspec.Struct):
    id: int
    reference: str
    status: str
    amount: int
    currency: str
    paid_at: datetime | None = None

    def to_domain(self) -> VerifiedTransaction:
        return VerifiedTransaction(
            id=self.id,
            reference=self.reference,
            status=self.status,
            amount=self.amount,
            currency=self.currency,
            paid_at=self.paid_at,
        )


class TransactionRef(msgspec.Struct):
    id: int
    reference: str


class RefundData(msgspec.Struct):
    """Create-refund embeds the transaction as an object; fetch-refund gives only its id."""

    id: int
    status: str
    amount: int
    currency: str
    transaction: TransactionRef | int

    def to_domain(self) -> RefundResult:
        if isinstance(self.transaction, TransactionRef):
            transaction_id, reference = self.transaction.id, self.transaction.reference
        else:
            transaction_id, reference = self.transaction, None
        return RefundResult(
            id=self.id,
            status=self.status,
            amount=self.amount,
            currency=self.currency,
            transaction_id=transaction_id,
            transaction_reference=reference,
        )


class RecipientDetails(msgspec.Struct):
    account_number: str | None = None
    bank_code: str | None = None


class RecipientData(msgspec.Struct):
    recipient_code: str
    name: str
    currency: str
    details: RecipientDetails = msgspec.field(default_factory=RecipientDetails)

    def to_domain(self, *, bank_code: str, account_number: str) -> TransferRecipient:
        number = self.details.account_number or account_number
        return TransferRecipient(
            recipient_code=self.recipient_code,
            bank_code=self.details.bank_code or bank_code,
            account_last4=number[-4:],
            name=self.name,
            currency=self.currency,
        )


class TransferData(msgspec.Struct):
    """Paystack omits ``reference`` in some responses (e.g. OTP-pending ones); the caller knows it."""

    transfer_code: str
    status: str
    amount: int
    currency: str
    reference: str | None = None

    def to_domain(self, reference: str) -> TransferResult:
        return TransferResult(
            reference=self.reference or reference,
            transfer_code=self.transfer_code,
            status=self.status,
            amount=self.amount,
            currency=self.currency,
        )


class BankData(msgspec.Struct):
    name: str
    code: str
    currency: str | None = None
    active: bool = True
    is_deleted: bool = False

    def to_domain(self, currency: str) -> Bank:
        return Bank(name=self.name, code=self.code, currency=self.currency or currency)


class ResolvedAccountData(msgspec.Struct):
    account_number: str
    account_name: str

    def to_domain(self) -> ResolvedAccount:
        return ResolvedAccount(account_number=self.account_number, account_name=self.account_name)


class BankMeta(msgspec.Struct):
    next: str | None = None


class BankPage(msgspec.Struct):
    status: bool
    data: list[BankData]
    meta: BankMeta = msgspec.field(default_factory=BankMeta)


def decode(content: bytes, type_: type[T]) -> T:
    """Parse a 2xx body; a refusal hidden in it or an unexpected shape becomes a domain error."""
    try:
        return msgspec.json.decode(content, type=type_, strict=False)
    except msgspec.DecodeError as exc:
        try:
            refusal: ErrorBody | None = msgspec.json.decode(content, type=ErrorBody, strict=False)
        except msgspec.DecodeError:
            refusal = None
        if refusal is not None and not refusal.status:
            raise InvalidInput("payment_rejected", refusal.message or "Paystack refused the request") from exc
        raise ServiceUnavailable("payment_provider_bad_response", f"unexpected Paystack response: {exc}") from exc


def data_of(content: bytes, type_: type[T]) -> T:
    """The ``data`` of a 2xx ``{status, message, data}`` envelope."""
    envelope: Envelope[T] = decode(content, Envelope[type_])  # type: ignore[valid-type]
    if not envelope.status:
        raise InvalidInput("payment_rejected", envelope.message or "Paystack refused the request")
    return envelope.data
