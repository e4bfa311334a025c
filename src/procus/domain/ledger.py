"""The double-entry ledger's vocabulary: accounts, balanced entries, and the entry for each money movement.

Every line moves money into (positive) or out of (negative) an account; the lines of an entry sum to
zero per currency, so money is never created or lost. An account's balance is the sum of its lines:
*internal* accounts hold money we look after and never go negative; *external* accounts stand for the
outside world (clients who paid us, experts' banks) and show what came in (negative) or went out.

=======================  ======  ===========================================================
account                  owner   holds
=======================  ======  ===========================================================
client_payments          -       external: minus what clients paid, plus what went back to them
escrow_held              expert  charges confirmed for the expert's bookings, not yet settled
refunds_pending          -       refunds decided, not yet confirmed by the provider
platform_fees            -       the platform's fee on released bookings
expert_available         expert  earnings the expert may withdraw
payouts_pending          expert  payouts requested, not yet confirmed paid
expert_paid_out          expert  external: what reached the expert's bank
=======================  ======  ===========================================================
"""

from __future__ import annotations

import enum
import uuid
from collections import defaultdict
from collections.abc import Mapping

import msgspec

from procus.domain.cancellation import refund_amount
from procus.domain.errors import InvalidInput
from procus.domain.money import split_fee

__all__ = [
    "AccountKind",
    "AccountRef",
    "Entry",
    "EntryKind",
    "Line",
    "hold_entry",
    "payout_entry",
    "refund_after_release_entry",
    "refund_after_release_split",
    "refund_paid_entry",
    "settlement_entry",
    "settlement_split",
]


class AccountKind(enum.StrEnum):
    CLIENT_PAYMENTS = "client_payments"
    ESCROW_HELD = "escrow_held"
    REFUNDS_PENDING = "refunds_pending"
    PLATFORM_FEES = "platform_fees"
    EXPERT_AVAILABLE = "expert_available"
    PAYOUTS_PENDING = "payouts_pending"
    EXPERT_PAID_OUT = "expert_paid_out"

    @property
    def per_expert(self) -> bool:
        return self in _PER_EXPERT

    @property
    def external(self) -> bool:
        return self in (AccountKind.CLIENT_PAYMENTS, AccountKind.EXPERT_PAID_OUT)


_PER_EXPERT = frozenset(
    {AccountKind.ESCROW_HELD, AccountKind.EXPERT_AVAILABLE, AccountKind.PAYOUTS_PENDING, AccountKind.EXPERT_PAID_OUT}
)


class EntryKind(enum.StrEnum):
    HOLD = "hold"
    RELEASE = "release"
    REFUND = "refund"
    REFUND_PAID = "refund_paid"
    REFUND_AFTER_RELEASE = "refund_after_release"
    PAYOUT_REQUESTED = "payout_requested"
    PAYOUT_PAID = "payout_paid"
    PAYOUT_RETURNED = "payout_returned"
    PAYOUT_REVERSED = "payout_reversed"


class AccountRef(msgspec.Struct, frozen=True, kw_only=True):
    kind: AccountKind
    currency: str
    owner_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if self.kind.per_expert != (self.owner_id is not None):
            raise InvalidInput(
                "invalid_ledger_account", f"{self.kind} accounts {'need' if self.kind.per_expert else 'have no'} owner"
            )


class Line(msgspec.Struct, frozen=True, kw_only=True):
    account: AccountRef
    amount: int


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """One money movement; refuses to exist unless it balances."""

    kind: EntryKind
    lines: tuple[Line, ...]
    payment_id: uuid.UUID | None = None
    refund_id: uuid.UUID | None = None
    payout_id: uuid.UUID | None = None
    memo: str = ""

    def __post_init__(self) -> None:
        if len(self.lines) < 2:
            raise InvalidInput("unbalanced_entry", "an entry needs at least two lines")
        totals: dict[str, int] = defaultdict(int)
        for line in self.lines:
            if isinstance(line.amount, bool) or not isinstance(line.amount, int) or line.amount == 0:
                raise InvalidInput("unbalanced_entry", "line amounts are non-zero integers in minor units")
            if line.account.currency != self.lines[0].account.currency:
                raise InvalidInput("unbalanced_entry", "one entry moves one currency")
            totals[line.account.currency] += line.amount
        if any(totals.values()):
            raise InvalidInput("unbalanced_entry", f"entry {self.kind} does not balance: {dict(totals)}")


def _move(source: AccountRef, target: AccountRef, amount: int) -> tuple[Line, Line]:
    return Line(account=source, amount=-amount), Line(account=target, amount=amount)


def _account(kind: AccountKind, currency: str, owner: uuid.UUID | None = None) -> AccountRef:
    return AccountRef(kind=kind, currency=currency, owner_id=owner)


def settlement_split(amount: int, refund_share_bps: int, fee_bps: int) -> tuple[int, int, int]:
    """(refund, expert, fee) of a held ``amount``: the refund share is rounded down, the fee half up."""
    refund = refund_amount(amount, refund_share_bps)
    expert, fee = split_fee(amount - refund, fee_bps)
    return refund, expert, fee


def hold_entry(*, payment_id: uuid.UUID, expert_id: uuid.UUID, amount: int, currency: str) -> Entry:
    lines = _move(
        _account(AccountKind.CLIENT_PAYMENTS, currency), _account(AccountKind.ESCROW_HELD, currency, expert_id), amount
    )
    return Entry(kind=EntryKind.HOLD, lines=lines, payment_id=payment_id)


def settlement_entry(
    *,
    payment_id: uuid.UUID,
    expert_id: uuid.UUID,
    held: int,
    currency: str,
    refund: int,
    expert: int,
    fee: int,
) -> Entry:
    """Empty the payment's escrow: ``refund`` to refunds pending, the rest to the expert and the fee."""
    if refund + expert + fee != held or min(refund, expert, fee) < 0:
        raise InvalidInput("unbalanced_entry", "a settlement splits exactly what was held")
    lines = [Line(account=_account(AccountKind.ESCROW_HELD, currency, expert_id), amount=-held)]
    parts = (
        (AccountKind.REFUNDS_PENDING, None, refund),
        (AccountKind.EXPERT_AVAILABLE, expert_id, expert),
        (AccountKind.PLATFORM_FEES, None, fee),
    )
    lines += [Line(account=_account(kind, currency, owner), amount=part) for kind, owner, part in parts if part]
    kind = EntryKind.REFUND if refund else EntryKind.RELEASE
    return Entry(kind=kind, lines=tuple(lines), payment_id=payment_id)


def refund_after_release_split(amount: int, *, expert: int, fee: int, fee_bps: int) -> tuple[int, int]:
    """(from the expert, from the fee) for refunding ``amount`` of a released payment whose expert and
    platform still hold ``expert`` and ``fee``: the fee goes back in proportion, the expert gives the rest."""
    if not 0 < amount <= expert + fee:
        raise InvalidInput(
            "refund_too_large", f"at most {expert + fee} of this payment can still be refunded", field="amount"
        )
    expert_part, fee_part = split_fee(amount, fee_bps)
    fee_part = min(fee_part, fee)
    expert_part = amount - fee_part
    if expert_part > expert:
        expert_part, fee_part = expert, amount - expert
    return expert_part, fee_part


def refund_after_release_entry(
    *, payment_id: uuid.UUID, expert_id: uuid.UUID, currency: str, from_expert: int, from_fee: int
) -> Entry:
    """Take a refund back from the expert's available balance and the platform's fee, into refunds pending."""
    lines = [Line(account=_account(AccountKind.REFUNDS_PENDING, currency), amount=from_expert + from_fee)]
    if from_expert:
        lines.append(Line(account=_account(AccountKind.EXPERT_AVAILABLE, currency, expert_id), amount=-from_expert))
    if from_fee:
        lines.append(Line(account=_account(AccountKind.PLATFORM_FEES, currency), amount=-from_fee))
    return Entry(kind=EntryKind.REFUND_AFTER_RELEASE, lines=tuple(lines), payment_id=payment_id)


def refund_paid_entry(*, payment_id: uuid.UUID, refund_id: uuid.UUID, amount: int, currency: str) -> Entry:
    lines = _move(
        _account(AccountKind.REFUNDS_PENDING, currency), _account(AccountKind.CLIENT_PAYMENTS, currency), amount
    )
    return Entry(kind=EntryKind.REFUND_PAID, lines=lines, payment_id=payment_id, refund_id=refund_id)


_A = AccountKind
_PAYOUT_MOVES: Mapping[EntryKind, tuple[AccountKind, AccountKind]] = {
    EntryKind.PAYOUT_REQUESTED: (_A.EXPERT_AVAILABLE, _A.PAYOUTS_PENDING),
    EntryKind.PAYOUT_PAID: (_A.PAYOUTS_PENDING, _A.EXPERT_PAID_OUT),
    # A payout that never completed (failed, or reversed while in flight) goes back to available.
    EntryKind.PAYOUT_RETURNED: (_A.PAYOUTS_PENDING, _A.EXPERT_AVAILABLE),
    # A payout the bank returned after it was paid goes back to available.
    EntryKind.PAYOUT_REVERSED: (_A.EXPERT_PAID_OUT, _A.EXPERT_AVAILABLE),
}
"""Where each payout entry moves the amount: (from, to), both the expert's accounts."""


def payout_entry(kind: EntryKind, *, payout_id: uuid.UUID, expert_id: uuid.UUID, amount: int, currency: str) -> Entry:
    source, target = _PAYOUT_MOVES[kind]
    lines = _move(_account(source, currency, expert_id), _account(target, currency, expert_id), amount)
    return Entry(kind=kind, lines=lines, payout_id=payout_id)
