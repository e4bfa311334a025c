"""The fake's in-memory books and Paystack's rules about them (no I/O, no clock beyond ``now``).

Stricter than Paystack where strictness catches our bugs: amounts must be JSON integers (Paystack
also accepts numeric strings), transfer references must be 16-100 of ``a-z 0-9 - _``.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from .banks import BANKS
from .records import SUCCESS_CARD, PaystackError, Recipient, Refund, Transaction, Transfer, now

__all__ = ["REFUND_FAIL_CARD", "SUPPORTED_CURRENCIES", "Ledger"]

SUPPORTED_CURRENCIES = frozenset({"NGN", "GHS", "ZAR", "KES", "USD", "XOF", "EGP", "RWF"})
REFUND_FAIL_CARD = "4084080000671803"
_TRANSACTION_REFERENCE = re.compile(r"^[A-Za-z0-9.=-]{1,100}$")
_TRANSFER_REFERENCE = re.compile(r"^[a-z0-9_-]{16,100}$")
_RECIPIENT_TYPES = frozenset({"nuban", "mobile_money", "basa", "ghipss"})


def _amount(body: dict[str, Any]) -> int:
    amount = body.get("amount")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise PaystackError(400, "Invalid Amount Sent")
    return amount


def _text(body: dict[str, Any], name: str, message: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise PaystackError(400, message)
    return value.strip()


class Ledger:
    def __init__(self) -> None:
        self._ids = 4_000_000
        self.transactions: dict[str, Transaction] = {}
        self._by_access_code: dict[str, Transaction] = {}
        self.refunds: dict[int, Refund] = {}
        self.recipients: dict[str, Recipient] = {}
        self.transfers: dict[str, Transfer] = {}

    def _next_id(self) -> int:
        self._ids += 1
        return self._ids

    def initialize(self, body: dict[str, Any]) -> Transaction:
        email = _text(body, "email", "Invalid Email Address Passed")
        if "@" not in email:
            raise PaystackError(400, "Invalid Email Address Passed")
        amount = _amount(body)
        currency = body.get("currency") or "NGN"
        if currency not in SUPPORTED_CURRENCIES:
            raise PaystackError(400, "Currency not supported by merchant", "unsupported_currency")
        reference = body.get("reference") or f"T{secrets.randbelow(10**15):015d}"
        if not isinstance(reference, str) or not _TRANSACTION_REFERENCE.match(reference):
            raise PaystackError(400, "Invalid transaction reference")
        if reference in self.transactions:
            raise PaystackError(400, "Duplicate Transaction Reference", "duplicate_reference")
        callback_url = body.get("callback_url")
        if callback_url is not None and not isinstance(callback_url, str):
            raise PaystackError(400, "Invalid callback_url")
        transaction = Transaction(
            id=self._next_id(),
            reference=reference,
            access_code=secrets.token_hex(8),
            email=email,
            amount=amount,
            currency=currency,
            callback_url=callback_url,
            metadata=body.get("metadata"),
            created_at=now(),
        )
        self.transactions[reference] = transaction
        self._by_access_code[transaction.access_code] = transaction
        return transaction

    def transaction(self, reference: str) -> Transaction:
        try:
            return self.transactions[reference]
        except KeyError:
            raise PaystackError(400, "Transaction reference not found", "transaction_not_found") from None

    def by_access_code(self, access_code: str) -> Transaction:
        try:
            return self._by_access_code[access_code]
        except KeyError:
            raise PaystackError(404, "Checkout not found") from None

    def complete(
        self,
        reference: str,
        *,
        paid: bool,
        card_number: str | None = None,
        amount: int | None = None,
        currency: str | None = None,
    ) -> Transaction:
        """Finish a checkout; ``amount``/``currency`` make the charge differ from what was initialised
        (what a payer-side conversion or a tampered checkout would leave at Paystack)."""
        transaction = self.transaction(reference)
        if transaction.status != "abandoned":
            raise PaystackError(409, f"Transaction is already {transaction.status}")
        if amount is not None:
            transaction.amount = amount
        if currency is not None:
            transaction.currency = currency
        transaction.card_number = (card_number or SUCCESS_CARD).replace(" ", "")
        transaction.status = "success" if paid else "failed"
        transaction.paid_at = now() if paid else None
        return transaction

    def create_refund(self, body: dict[str, Any]) -> Refund:
        key = body.get("transaction")
        transaction = self._find_transaction(key)
        if transaction.status != "success":
            raise PaystackError(400, "Transaction has not been completed successfully and cannot be refunded")
        currency = body.get("currency") or transaction.currency
        if currency != transaction.currency:
            raise PaystackError(400, "Currency does not match the transaction currency")
        if transaction.refundable <= 0:
            raise PaystackError(400, "Transaction has been fully reversed")
        amount = transaction.refundable if body.get("amount") is None else _amount(body)
        if amount > transaction.refundable:
            raise PaystackError(400, f"Refund amount cannot exceed the refundable amount of {transaction.refundable}")
        refund = Refund(
            id=self._next_id(),
            transaction=transaction,
            amount=amount,
            currency=currency,
            customer_note=str(body.get("customer_note") or f"Refund for transaction {transaction.reference}"),
            merchant_note=str(body.get("merchant_note") or f"Refund for transaction {transaction.reference}"),
            created_at=now(),
        )
        transaction.refunds.append(refund)
        self.refunds[refund.id] = refund
        return refund

    def _find_transaction(self, key: object) -> Transaction:
        if isinstance(key, str) and key in self.transactions:
            return self.transactions[key]
        for transaction in self.transactions.values():
            if str(transaction.id) == str(key):
                return transaction
        raise PaystackError(400, "Transaction not found", "transaction_not_found")

    def refund(self, refund_id: int) -> Refund:
        try:
            return self.refunds[refund_id]
        except KeyError:
            raise PaystackError(404, "Refund not found", "refund_not_found") from None

    def settle_refund(self, refund_id: int, outcome: str) -> Refund:
        refund = self.refund(refund_id)
        if refund.status not in ("pending", "processing"):
            raise PaystackError(409, f"Refund is already {refund.status}")
        refund.status = outcome
        refund.refunded_at = now() if outcome == "processed" else None
        return refund

    def create_recipient(self, body: dict[str, Any]) -> Recipient:
        kind = body.get("type")
        if kind not in _RECIPIENT_TYPES:
            raise PaystackError(400, "Invalid recipient type")
        name = _text(body, "name", "Recipient name is required")
        account_number = _text(body, "account_number", "Account number is required")
        currency = body.get("currency") or "NGN"
        if kind == "nuban" and not re.fullmatch(r"\d{10}", account_number):
            raise PaystackError(400, "Account number is invalid")
        bank = next((b for b in BANKS.get(currency, ()) if b.code == body.get("bank_code")), None)
        if bank is None:
            raise PaystackError(400, "Unknown bank code")
        for existing in self.recipients.values():
            same = (existing.type, existing.account_number, existing.bank.code, existing.currency)
            if same == (kind, account_number, bank.code, currency):
                return existing
        recipient = Recipient(
            id=self._next_id(),
            recipient_code=f"RCP_{secrets.token_hex(8)}",
            type=str(kind),
            name=name,
            account_number=account_number,
            bank=bank,
            currency=currency,
            created_at=now(),
        )
        self.recipients[recipient.recipient_code] = recipient
        return recipient

    def create_transfer(self, body: dict[str, Any]) -> tuple[Transfer, bool]:
        """The transfer, and whether it is new; a repeat of the same reference and payload is a replay."""
        if body.get("source") != "balance":
            raise PaystackError(400, "Invalid transfer source")
        amount = _amount(body)
        recipient = self.recipients.get(str(body.get("recipient")))
        if recipient is None:
            raise PaystackError(400, "Transfer recipient not found")
        currency = body.get("currency") or recipient.currency
        if currency != recipient.currency:
            raise PaystackError(400, "Currency does not match the recipient's currency")
        reference = body.get("reference") or secrets.token_hex(12)
        if not isinstance(reference, str) or not _TRANSFER_REFERENCE.match(reference):
            raise PaystackError(400, "Invalid transfer reference")
        existing = self.transfers.get(reference)
        if existing is not None:
            if (existing.amount, existing.currency, existing.recipient) != (amount, currency, recipient):
                raise PaystackError(400, "Duplicate Transfer Reference with a different payload", "duplicate_reference")
            return existing, False
        transfer = Transfer(
            id=self._next_id(),
            reference=reference,
            transfer_code=f"TRF_{secrets.token_hex(8)}",
            amount=amount,
            currency=currency,
            recipient=recipient,
            reason=str(body.get("reason") or ""),
            created_at=now(),
        )
        self.transfers[reference] = transfer
        return transfer, True

    def transfer(self, reference: str) -> Transfer:
        try:
            return self.transfers[reference]
        except KeyError:
            raise PaystackError(404, "Transfer not found", "transfer_not_found") from None

    def settle_transfer(self, reference: str, outcome: str) -> Transfer:
        transfer = self.transfer(reference)
        allowed = ("pending", "success") if outcome == "reversed" else ("pending",)
        if transfer.status not in allowed:
            raise PaystackError(409, f"Transfer is already {transfer.status}")
        transfer.status = outcome
        transfer.transferred_at = now() if outcome == "success" else transfer.transferred_at
        return transfer
