"""State changes of payments, refunds and payouts: checked against the domain's tables, each one recorded.

Callers hold the row's lock (``FOR UPDATE``) in ``tx``; these functions make the change and append
the event row in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from procus.domain.payment_states import PaymentStatus, RefundStatus, check_payment_transition, check_refund_transition
from procus.domain.payments import Payment, Refund
from procus.domain.payout_states import PayoutStatus, check_payout_transition
from procus.domain.payouts import Payout
from procus.store import payments, payouts, refunds
from procus.store.db import Connection

__all__ = ["move_payment", "move_payout", "move_refund"]


async def move_payment(
    tx: Connection,
    payment: Payment,
    target: PaymentStatus,
    at: dt.datetime,
    *,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> Payment:
    check_payment_transition(payment.status, target)
    moved = await payments.set_payment_status(tx, payment.id, target, at)
    await payments.insert_payment_event(
        tx, payment.id, from_status=payment.status, to_status=target, at=at, reason=reason, detail=detail
    )
    return moved


async def move_refund(
    tx: Connection,
    refund: Refund,
    target: RefundStatus,
    at: dt.datetime,
    *,
    reason: str = "",
    provider_refund_id: int | None = None,
    last_error: str | None = None,
    next_attempt_at: dt.datetime | None = None,
    attempted: bool = False,
) -> Refund:
    check_refund_transition(refund.status, target)
    moved = await refunds.update_refund(
        tx,
        refund.id,
        target,
        at,
        provider_refund_id=provider_refund_id,
        last_error=last_error,
        next_attempt_at=next_attempt_at,
        attempted=attempted,
    )
    await payments.insert_payment_event(
        tx,
        refund.payment_id,
        refund_id=refund.id,
        from_status=f"refund:{refund.status}",
        to_status=f"refund:{target}",
        at=at,
        reason=reason or (last_error or ""),
        detail={"provider_refund_id": moved.provider_refund_id} if moved.provider_refund_id else None,
    )
    return moved


async def move_payout(
    tx: Connection,
    payout: Payout,
    target: PayoutStatus,
    at: dt.datetime,
    *,
    reason: str = "",
    transfer_code: str | None = None,
    failure_reason: str | None = None,
) -> Payout:
    check_payout_transition(payout.status, target)
    moved = await payouts.set_payout_status(
        tx, payout.id, target, at, transfer_code=transfer_code, failure_reason=failure_reason
    )
    await payouts.insert_payout_event(
        tx, payout.id, from_status=payout.status, to_status=target, at=at, reason=reason or (failure_reason or "")
    )
    return moved
