"""Experts' payouts: where the money goes (a bank account at the provider), and how much may go."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import msgspec

from procus.domain.errors import Conflict, InvalidInput
from procus.domain.payout_states import PayoutStatus

__all__ = [
    "ExpertBalance",
    "Payout",
    "PayoutAccount",
    "check_payout_amount",
    "validate_bank_account",
    "validate_bank_details",
]

_ACCOUNT_NUMBER = re.compile(r"^\d{6,20}$")
_BANK_CODE = re.compile(r"^[A-Za-z0-9]{2,20}$")


class PayoutAccount(msgspec.Struct, frozen=True, kw_only=True):
    """The expert's registered bank account; only its last four digits are ever kept."""

    expert_id: uuid.UUID
    currency: str
    recipient_code: str
    bank_code: str
    account_last4: str
    name: str
    updated_at: dt.datetime


class Payout(msgspec.Struct, frozen=True, kw_only=True):
    """``id`` doubles as the provider's transfer reference (its idempotency key)."""

    id: uuid.UUID
    expert_id: uuid.UUID
    amount: int
    currency: str
    status: PayoutStatus
    recipient_code: str
    transfer_code: str | None
    failure_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def reference(self) -> str:
        return str(self.id)


class ExpertBalance(msgspec.Struct, frozen=True, kw_only=True):
    """From the ledger: ``available`` to withdraw, ``pending`` payouts in flight, ``paid_out`` so far,
    and ``held``: clients' payments in escrow for upcoming calls (gross, before the platform fee)."""

    currency: str
    available: int
    pending: int
    paid_out: int
    held: int


def check_payout_amount(amount: int, *, available: int, minimum: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput("invalid_amount", "amount is a positive integer in minor units", field="amount")
    if amount < minimum:
        raise InvalidInput("payout_below_minimum", f"The minimum payout is {minimum}", field="amount", minimum=minimum)
    if amount > available:
        raise Conflict("insufficient_balance", f"Only {available} is available", available=available)


def validate_bank_account(*, account_number: str, bank_code: str) -> tuple[str, str]:
    number = account_number.strip()
    if not _ACCOUNT_NUMBER.match(number):
        raise InvalidInput("invalid_account_number", "The account number is 6 to 20 digits", field="account_number")
    code = bank_code.strip()
    if not _BANK_CODE.match(code):
        raise InvalidInput("invalid_bank_code", "Choose a bank from the list", field="bank_code")
    return number, code


def validate_bank_details(*, account_number: str, bank_code: str, name: str) -> tuple[str, str, str]:
    number, code = validate_bank_account(account_number=account_number, bank_code=bank_code)
    holder = " ".join(name.split())
    if not 1 <= len(holder) <= 200:
        raise InvalidInput("invalid_account_name", "The account holder's name is required", field="name")
    return number, code, holder
