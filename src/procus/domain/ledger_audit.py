"""What the ledger must say about each payment, refund and payout, given its state.

The store tallies the ledger lines that belong to each record (by account kind); these rules compare
the tallies with what the record's state implies, and describe every disagreement.
"""

from __future__ import annotations

import uuid

import msgspec

from procus.domain.payment_states import PaymentStatus, RefundStatus
from procus.domain.payout_states import PayoutStatus

__all__ = [
    "AccountTally",
    "PaymentTally",
    "PayoutTally",
    "RefundTally",
    "account_discrepancies",
    "payment_discrepancies",
    "payout_discrepancies",
    "refund_discrepancies",
]


class PaymentTally(msgspec.Struct, frozen=True, kw_only=True):
    """A payment's figures (``received`` .. ``fee``, ``refund_rows``) and its ledger lines by account kind."""

    id: uuid.UUID
    status: PaymentStatus
    received: int
    refunded: int
    expert: int
    fee: int
    refund_rows: int
    ledger_collected: int
    ledger_held: int
    ledger_refunded: int
    ledger_expert: int
    ledger_fee: int


class RefundTally(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    status: RefundStatus
    amount: int
    ledger_returned: int


class PayoutTally(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    status: PayoutStatus
    amount: int
    ledger_available: int
    ledger_pending: int
    ledger_paid_out: int


class AccountTally(msgspec.Struct, frozen=True, kw_only=True):
    kind: str
    owner_id: uuid.UUID | None
    currency: str
    balance: int
    expected: int | None = None


def _compare(label: str, pairs: list[tuple[str, int, int]]) -> list[str]:
    return [
        f"{label}: ledger {name} is {actual}, expected {expected}"
        for name, actual, expected in pairs
        if actual != expected
    ]


def payment_discrepancies(tally: PaymentTally) -> list[str]:
    held = tally.received if tally.status is PaymentStatus.HELD else 0
    label = f"payment {tally.id} ({tally.status})"
    found = _compare(
        label,
        [
            ("collected", tally.ledger_collected, tally.received),
            ("held", tally.ledger_held, held),
            ("refunded", tally.ledger_refunded, tally.refunded),
            ("expert earnings", tally.ledger_expert, tally.expert),
            ("platform fee", tally.ledger_fee, tally.fee),
        ],
    )
    if tally.refund_rows != tally.refunded:
        found.append(f"{label}: refunds total {tally.refund_rows}, the payment says {tally.refunded}")
    settled = tally.refunded + tally.expert + tally.fee
    if tally.status is not PaymentStatus.HELD and settled != tally.received:
        found.append(f"{label}: {settled} settled of {tally.received} received")
    return found


def refund_discrepancies(tally: RefundTally) -> list[str]:
    expected = tally.amount if tally.status is RefundStatus.PROCESSED else 0
    return _compare(
        f"refund {tally.id} ({tally.status})", [("returned to the client", tally.ledger_returned, expected)]
    )


def payout_discrepancies(tally: PayoutTally) -> list[str]:
    amount = tally.amount
    expected = {
        PayoutStatus.PENDING: (-amount, amount, 0),
        PayoutStatus.HELD: (-amount, amount, 0),
        PayoutStatus.PROCESSING: (-amount, amount, 0),
        PayoutStatus.PAID: (-amount, 0, amount),
        PayoutStatus.FAILED: (0, 0, 0),
        PayoutStatus.REVERSED: (0, 0, 0),
    }[tally.status]
    actual = (tally.ledger_available, tally.ledger_pending, tally.ledger_paid_out)
    names = ("available", "in flight", "paid out")
    return _compare(f"payout {tally.id} ({tally.status})", list(zip(names, actual, expected, strict=True)))


def account_discrepancies(tally: AccountTally) -> list[str]:
    """Internal accounts never go negative; money only comes in from clients and only goes out to experts."""
    label = f"account {tally.kind}/{tally.owner_id or '-'}/{tally.currency}"
    found = []
    if tally.kind == "client_payments":
        if tally.balance > 0:
            found.append(f"{label}: more returned to clients than they paid ({tally.balance})")
    elif tally.balance < 0:
        found.append(f"{label}: negative balance {tally.balance}")
    if tally.expected is not None and tally.expected != tally.balance:
        found.append(f"{label}: balance {tally.balance}, the records add up to {tally.expected}")
    return found
