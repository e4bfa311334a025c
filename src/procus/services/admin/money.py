"""Admins and money: payments, refunds and payouts lists; holding and releasing a payout (audited);
the ledger's verification on demand."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from procus.domain.admin_audit import AdminActor, AuditRecord, snapshot
from procus.domain.admin_lists import MoneySearch
from procus.domain.cursors import Page, page_of
from procus.domain.errors import Conflict, NotFound
from procus.domain.payments import Payment, Refund
from procus.domain.payout_states import PayoutStatus
from procus.domain.payouts import Payout
from procus.domain.reasons import validate_reason
from procus.services.admin.audit import record_admin_action
from procus.services.payments import EscrowService, LedgerAuditor
from procus.services.payments.payouts import SUBMIT_PAYOUT, PayoutJob
from procus.services.payments.transitions import move_payout
from procus.services.ports.clock import Clock
from procus.store import bookings as booking_store
from procus.store import payments, payouts, refunds
from procus.store.db import Connection, Database

__all__ = ["AdminMoneyService"]

_Row = TypeVar("_Row", Payment, Refund, Payout)
"""A row of one of the money lists, all newest first by (created_at, id)."""


class AdminMoneyService:
    def __init__(self, db: Database, clock: Clock, ledger: LedgerAuditor, escrow: EscrowService) -> None:
        self._db = db
        self._clock = clock
        self._ledger = ledger
        self._escrow = escrow

    async def refund_completed_booking(
        self, actor: AdminActor, booking_id: uuid.UUID, amount: int | None, reason: str
    ) -> Payment:
        """Refund a completed booking whose money was released, in full (``amount`` None) or in part: the
        expert's available balance and the platform's fee give it back, or it is refused
        (``already_paid_out``) when the expert no longer has the money."""
        text = validate_reason(reason) or ""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            before = await payments.find_payment_by_booking(tx, booking_id, lock=True)
            if before is None:
                raise NotFound("payment_not_found", "This booking has no payment")
            wanted = amount if amount is not None else before.expert_amount + before.fee_amount
            booking = await booking_store.get_booking(tx, booking_id)
            after = await self._escrow.refund_released(tx, booking, amount=wanted, reason=text)
            shown = ("status", "refunded_amount", "expert_amount", "fee_amount")
            record = AuditRecord(
                action="payment.refund",
                target_type="booking",
                target_id=str(booking_id),
                before=snapshot(before, *shown),
                after={**snapshot(after, *shown), "refund": wanted},
                reason=text,
            )
            await record_admin_action(tx, actor, record, now)
        return after

    async def payments(self, actor: AdminActor, search: MoneySearch) -> Page[Payment]:
        return await self._search(payments.search_payments, search)

    async def refunds(self, actor: AdminActor, search: MoneySearch) -> Page[Refund]:
        return await self._search(refunds.search_refunds, search)

    async def payouts(self, actor: AdminActor, search: MoneySearch) -> Page[Payout]:
        return await self._search(payouts.search_payouts, search)

    async def _search(
        self, find: Callable[[Connection, MoneySearch], Awaitable[list[_Row]]], search: MoneySearch
    ) -> Page[_Row]:
        async with self._db.connection() as conn:
            found = await find(conn, search)
        return page_of(found, search.limit, lambda row: (row.created_at, row.id))

    async def hold_payout(self, actor: AdminActor, payout_id: uuid.UUID, reason: str) -> Payout:
        """Stop a payout that has not been sent yet; its amount stays out of the expert's available balance."""
        return await self._move(actor, payout_id, PayoutStatus.PENDING, PayoutStatus.HELD, "payout.hold", reason)

    async def release_payout(self, actor: AdminActor, payout_id: uuid.UUID, reason: str) -> Payout:
        """Let a held payout go: it is pending again and its transfer is queued."""
        return await self._move(actor, payout_id, PayoutStatus.HELD, PayoutStatus.PENDING, "payout.release", reason)

    async def _move(
        self,
        actor: AdminActor,
        payout_id: uuid.UUID,
        source: PayoutStatus,
        target: PayoutStatus,
        action: str,
        reason: str,
    ) -> Payout:
        text = validate_reason(reason) or ""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            payout = await payouts.get_payout(tx, payout_id, lock=True)
            if payout.status is not source:
                raise Conflict(
                    f"payout_{payout.status}", f"Only a {source} payout can be {target}; this one is {payout.status}"
                )
            moved = await move_payout(tx, payout, target, now, reason=f"{action} by an admin: {text}")
            if target is PayoutStatus.PENDING:
                await SUBMIT_PAYOUT.enqueue(tx, PayoutJob(payout_id), dedupe_key=f"payout:{payout_id}")
            record = AuditRecord(
                action=action,
                target_type="payout",
                target_id=str(payout_id),
                before=snapshot(payout, "status", "amount", "currency"),
                after=snapshot(moved, "status", "amount", "currency"),
                reason=text,
            )
            await record_admin_action(tx, actor, record, now)
        return moved

    async def verify_ledger(self, actor: AdminActor) -> list[str]:
        """Every discrepancy the ledger verification finds now; empty when the books are right."""
        return await self._ledger.verify()
