"""The life of an expert's payout (a provider transfer), as a table of allowed transitions.

``pending``: requested, the amount moved out of the expert's available balance, transfer not yet
started. ``held``: an admin stopped a pending payout before it was sent; releasing it makes it
pending again (the provider's word still wins: a transfer already under way when the hold came is
recorded as it turns out). ``processing``: the provider accepted the transfer. ``paid``: the provider confirmed it.
``failed`` (never paid) and ``reversed`` (paid, then returned by the bank; or reversed before
completing) put the amount back into the available balance. Every transition is a ``payout_events`` row.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from procus.domain.errors import Conflict

__all__ = ["PAYOUT_TRANSITIONS", "PayoutStatus", "check_payout_transition"]


class PayoutStatus(enum.StrEnum):
    PENDING = "pending"
    HELD = "held"
    PROCESSING = "processing"
    PAID = "paid"
    FAILED = "failed"
    REVERSED = "reversed"

    @property
    def in_flight(self) -> bool:
        return self in (PayoutStatus.PENDING, PayoutStatus.HELD, PayoutStatus.PROCESSING)


_S = PayoutStatus
PAYOUT_TRANSITIONS: Mapping[PayoutStatus, frozenset[PayoutStatus]] = {
    _S.PENDING: frozenset({_S.HELD, _S.PROCESSING, _S.PAID, _S.FAILED, _S.REVERSED}),
    _S.HELD: frozenset({_S.PENDING, _S.PROCESSING, _S.PAID, _S.FAILED, _S.REVERSED}),
    _S.PROCESSING: frozenset({_S.PAID, _S.FAILED, _S.REVERSED}),
    _S.PAID: frozenset({_S.REVERSED}),
    _S.FAILED: frozenset(),
    _S.REVERSED: frozenset(),
}


def check_payout_transition(current: PayoutStatus, target: PayoutStatus) -> None:
    if target not in PAYOUT_TRANSITIONS[current]:
        raise Conflict("payout_state_conflict", f"A {current} payout cannot become {target}")
