"""The life of a booking's payment and of each refund, as tables of allowed transitions.

A payment is ``pending`` until the provider confirms the charge, then ``held`` in escrow until the
booking ends: ``released`` (the call happened), ``refunded`` or ``partially_refunded`` (the rest
released). A payment never paid ends ``cancelled`` (the booking ended first) or ``expired`` (left
unpaid); a charge that arrives anyway is refunded in full (``refunded``). ``failed`` is a charge whose
amount or currency did not match the booking: what arrived is refunded and the booking stays unpaid.

A refund is decided (``queued``) in the transaction that moves the money in the ledger; the job
that sends it records ``submitting`` *before* calling the provider, because a refund request carries
no idempotency key: a ``submitting`` refund whose outcome is unknown is reconciled from the
provider's refund webhooks, never sent again blindly. ``failed`` refunds are retried by a job.
Every transition is recorded as a ``payment_events`` row.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from procus.domain.errors import Conflict

__all__ = [
    "PAYMENT_TRANSITIONS",
    "REFUND_TRANSITIONS",
    "PaymentStatus",
    "RefundStatus",
    "check_payment_transition",
    "check_refund_transition",
]


class PaymentStatus(enum.StrEnum):
    PENDING = "pending"
    HELD = "held"
    RELEASED = "released"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    FAILED = "failed"

    @property
    def unpaid_end(self) -> bool:
        """Ended before any money arrived: a charge confirmed now must be given back."""
        return self in (PaymentStatus.CANCELLED, PaymentStatus.EXPIRED)


class RefundStatus(enum.StrEnum):
    QUEUED = "queued"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    PROCESSED = "processed"
    FAILED = "failed"


_P = PaymentStatus
PAYMENT_TRANSITIONS: Mapping[PaymentStatus, frozenset[PaymentStatus]] = {
    _P.PENDING: frozenset({_P.HELD, _P.CANCELLED, _P.EXPIRED, _P.FAILED}),
    _P.HELD: frozenset({_P.RELEASED, _P.REFUNDED, _P.PARTIALLY_REFUNDED}),
    _P.CANCELLED: frozenset({_P.REFUNDED}),
    _P.EXPIRED: frozenset({_P.REFUNDED}),
    # An admin's refund of a completed booking, taken back from the expert and the fee.
    _P.RELEASED: frozenset({_P.PARTIALLY_REFUNDED, _P.REFUNDED}),
    _P.REFUNDED: frozenset(),
    _P.PARTIALLY_REFUNDED: frozenset({_P.REFUNDED}),
    _P.FAILED: frozenset(),
}

_R = RefundStatus
REFUND_TRANSITIONS: Mapping[RefundStatus, frozenset[RefundStatus]] = {
    _R.QUEUED: frozenset({_R.SUBMITTING}),
    # back to queued: the request never reached the provider; the two outcomes: a webhook overtook us
    _R.SUBMITTING: frozenset({_R.QUEUED, _R.SUBMITTED, _R.PROCESSED, _R.FAILED}),
    _R.SUBMITTED: frozenset({_R.PROCESSED, _R.FAILED}),
    # processed after failed: the provider is the authority on whether the money went back
    _R.FAILED: frozenset({_R.QUEUED, _R.PROCESSED}),
    _R.PROCESSED: frozenset(),
}


def check_payment_transition(current: PaymentStatus, target: PaymentStatus) -> None:
    if target not in PAYMENT_TRANSITIONS[current]:
        raise Conflict("payment_state_conflict", f"A {current} payment cannot become {target}")


def check_refund_transition(current: RefundStatus, target: RefundStatus) -> None:
    if target not in REFUND_TRANSITIONS[current]:
        raise Conflict("refund_state_conflict", f"A {current} refund cannot become {target}")
