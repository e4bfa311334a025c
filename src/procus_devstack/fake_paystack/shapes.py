"""The fake's records in Paystack's JSON shapes (API ``data`` objects and webhook ``data``).

Field names and nesting follow Paystack's published examples, including the inconsistencies our
client has to cope with: create-refund embeds the transaction, fetch-refund gives only its id; the
initiate-transfer response names the recipient by id, verify-transfer and webhooks embed it.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from typing import Any

from .banks import FakeBank
from .records import Recipient, Refund, Transaction, Transfer

__all__ = [
    "bank_json",
    "recipient_json",
    "refund_event_json",
    "refund_json",
    "timestamp",
    "transaction_json",
    "transfer_json",
]

INTEGRATION_ID = 100073


def timestamp(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _customer(email: str) -> dict[str, Any]:
    number = zlib.crc32(email.encode())
    return {
        "id": number,
        "first_name": None,
        "last_name": None,
        "email": email,
        "customer_code": f"CUS_{number:010d}",
        "phone": None,
        "metadata": None,
        "risk_action": "default",
    }


def transaction_json(transaction: Transaction) -> dict[str, Any]:
    card = transaction.card_number
    return {
        "id": transaction.id,
        "domain": "test",
        "status": transaction.status,
        "reference": transaction.reference,
        "amount": transaction.amount,
        "requested_amount": transaction.amount,
        "message": None,
        "gateway_response": {"success": "Successful", "failed": "Declined"}.get(transaction.status, "Abandoned"),
        "paid_at": timestamp(transaction.paid_at),
        "paidAt": timestamp(transaction.paid_at),
        "created_at": timestamp(transaction.created_at),
        "createdAt": timestamp(transaction.created_at),
        "channel": "card",
        "currency": transaction.currency,
        "ip_address": "127.0.0.1",
        "metadata": transaction.metadata if transaction.metadata is not None else "",
        "fees": (transaction.amount * 15 + 999) // 1000 if transaction.status == "success" else None,
        "authorization": {
            "authorization_code": f"AUTH_{transaction.access_code}",
            "bin": card[:6],
            "last4": card[-4:],
            "exp_month": "12",
            "exp_year": "2030",
            "channel": "card",
            "card_type": "visa",
            "bank": "TEST BANK",
            "country_code": "NG",
            "brand": "visa",
            "reusable": True,
            "signature": f"SIG_{transaction.access_code}",
        },
        "customer": _customer(transaction.email),
    }


def refund_json(refund: Refund, *, embed_transaction: bool) -> dict[str, Any]:
    transaction = refund.transaction
    embedded = {
        "id": transaction.id,
        "domain": "test",
        "reference": transaction.reference,
        "amount": transaction.amount,
        "paid_at": timestamp(transaction.paid_at),
        "channel": "card",
        "currency": transaction.currency,
    }
    return {
        "transaction": embedded if embed_transaction else transaction.id,
        "integration": INTEGRATION_ID,
        "dispute": None,
        "settlement": None,
        "domain": "test",
        "id": refund.id,
        "amount": refund.amount,
        "deducted_amount": refund.amount,
        "fully_deducted": True,
        "currency": refund.currency,
        "channel": "card",
        "status": refund.status,
        "refunded_by": "fake@procus.local",
        "refunded_at": timestamp(refund.refunded_at),
        "expected_at": timestamp(refund.created_at),
        "customer_note": refund.customer_note,
        "merchant_note": refund.merchant_note,
        "createdAt": timestamp(refund.created_at),
    }


def refund_event_json(refund: Refund) -> dict[str, Any]:
    customer = _customer(refund.transaction.email)
    return {
        "status": refund.status,
        "transaction_reference": refund.transaction.reference,
        "refund_reference": f"RFD{refund.id}" if refund.status == "processed" else None,
        "amount": refund.amount,
        "currency": refund.currency,
        "processor": "fake",
        "customer": {key: customer[key] for key in ("first_name", "last_name", "email")},
        "integration": INTEGRATION_ID,
        "domain": "test",
        "id": refund.id,
    }


def recipient_json(recipient: Recipient) -> dict[str, Any]:
    return {
        "active": True,
        "createdAt": timestamp(recipient.created_at),
        "currency": recipient.currency,
        "domain": "test",
        "id": recipient.id,
        "integration": INTEGRATION_ID,
        "name": recipient.name,
        "recipient_code": recipient.recipient_code,
        "type": recipient.type,
        "is_deleted": False,
        "details": {
            "authorization_code": None,
            "account_number": recipient.account_number,
            "account_name": recipient.name,
            "bank_code": recipient.bank.code,
            "bank_name": recipient.bank.name,
        },
    }


def transfer_json(transfer: Transfer, *, embed_recipient: bool) -> dict[str, Any]:
    return {
        "integration": INTEGRATION_ID,
        "domain": "test",
        "amount": transfer.amount,
        "currency": transfer.currency,
        "source": "balance",
        "reason": transfer.reason,
        "recipient": recipient_json(transfer.recipient) if embed_recipient else transfer.recipient.id,
        "status": transfer.status,
        "transfer_code": transfer.transfer_code,
        "reference": transfer.reference,
        "id": transfer.id,
        "failures": None,
        "transferred_at": timestamp(transfer.transferred_at),
        "createdAt": timestamp(transfer.created_at),
    }


def bank_json(bank: FakeBank) -> dict[str, Any]:
    return {
        "id": bank.id,
        "name": bank.name,
        "slug": bank.slug,
        "code": bank.code,
        "longcode": bank.code,
        "gateway": None,
        "pay_with_bank": False,
        "active": True,
        "is_deleted": False,
        "country": bank.country,
        "currency": bank.currency,
        "type": bank.type,
    }
