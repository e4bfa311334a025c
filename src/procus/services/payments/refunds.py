"""Refunds: decided in the ledger at once, sent to the provider by a job, settled by its webhooks.

Sending a refund is the one provider call that cannot be repeated safely: Paystack's refund API
takes no idempotency key. So the job records ``submitting`` (committed) *before* it calls, and then:

* the provider answers: ``submitted`` with its refund id, and refund.* webhooks settle it;
* the request surely never reached the provider (``payment_provider_unavailable``, auth failure):
  back to ``queued`` and tried again later;
* the provider refused it: ``failed``, retried with backoff by :meth:`RefundService.retry_due` up to
  ``max_attempts``, and listed for admins meanwhile;
* the outcome is unknown (the request may have been processed, ``payment_provider_outcome_unknown``):
  it stays ``submitting`` and is **never sent again automatically**. The provider's refund webhooks
  name the transaction and amount, so the first refund.* event for it names our refund
  (:func:`apply_report` adopts it); failing that an admin checks the dashboard and requeues it.

A refund's ledger entry (escrow -> refunds pending) is written when it is decided; the second one
(refunds pending -> back to the client) only when the provider reports it processed.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import msgspec

from procus.domain.admin_audit import AdminActor, AuditRecord, snapshot
from procus.domain.errors import Conflict, DomainError, InvalidInput, NotFound, ServiceUnavailable
from procus.domain.gateway import RefundReport, RefundResult
from procus.domain.ledger import refund_paid_entry
from procus.domain.payment_states import RefundStatus
from procus.domain.payments import Payment, Refund
from procus.services.admin.audit import record_admin_action
from procus.services.notices.payments import PaymentNotices
from procus.services.payments.transitions import move_refund
from procus.services.ports.clock import Clock
from procus.services.ports.payment_gateway import PaymentGateway
from procus.store import ledger, payments, refunds
from procus.store.db import Connection, Database
from procus.store.jobs import JobKind

__all__ = ["EXECUTE_REFUND", "EXECUTE_REFUND_JOB", "RefundJob", "RefundRetryPolicy", "RefundService", "queue_refund"]

log = logging.getLogger(__name__)


class RefundJob(msgspec.Struct, frozen=True):
    refund_id: uuid.UUID


EXECUTE_REFUND = JobKind("payments.execute_refund", RefundJob)
EXECUTE_REFUND_JOB = EXECUTE_REFUND.name
_NOT_SENT = frozenset({"payment_provider_unavailable", "payment_provider_auth_failed"})
_PENDING_REPORTS = frozenset({"pending", "processing", "needs-attention"})
_MAX_BACKOFF = dt.timedelta(days=1)


class RefundRetryPolicy(msgspec.Struct, frozen=True, kw_only=True):
    """Failed refunds are retried after ``retry_base``, doubling each time (at most a day apart), until
    ``max_attempts``; a queued refund untouched for ``lost_job_after`` has its job queued again."""

    retry_base: dt.timedelta = dt.timedelta(minutes=5)
    max_attempts: int = 6
    lost_job_after: dt.timedelta = dt.timedelta(minutes=10)

    def next_attempt(self, now: dt.datetime, attempts: int) -> dt.datetime | None:
        """When to try again after ``attempts`` tries, or None once automatic retries are used up."""
        if attempts >= self.max_attempts:
            return None
        delay: dt.timedelta = min(self.retry_base * 2 ** max(attempts - 1, 0), _MAX_BACKOFF)
        return now + delay


async def _enqueue(tx: Connection, refund: Refund, *, run_at: dt.datetime | None = None, now: dt.datetime) -> None:
    await EXECUTE_REFUND.enqueue(
        tx, RefundJob(refund.id), run_at=run_at, now=now, dedupe_key=f"refund:{refund.id}:{refund.attempts}"
    )


async def queue_refund(
    tx: Connection, payment: Payment, *, amount: int, currency: str, reason: str, at: dt.datetime
) -> Refund:
    """Record a decided refund and queue the job that sends it (the ledger entry is the caller's)."""
    refund = await refunds.insert_refund(
        tx, payment_id=payment.id, amount=amount, currency=currency, reason=reason, at=at
    )
    await payments.insert_payment_event(
        tx, payment.id, refund_id=refund.id, from_status=None, to_status=f"refund:{refund.status}", at=at, reason=reason
    )
    await _enqueue(tx, refund, now=at)
    return refund


class RefundService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        gateway: PaymentGateway,
        notices: PaymentNotices,
        policy: RefundRetryPolicy | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._gateway = gateway
        self._notices = notices
        self._policy = policy or RefundRetryPolicy()

    async def execute(self, refund_id: uuid.UUID) -> RefundStatus:
        """Send a queued refund to the provider (the job body); anything not queued is left alone."""
        async with self._db.transaction() as tx:
            refund = await refunds.get_refund(tx, refund_id, lock=True)
            if refund.status is not RefundStatus.QUEUED:
                return refund.status
            payment = await payments.get_payment(tx, refund.payment_id)
            refund = await move_refund(tx, refund, RefundStatus.SUBMITTING, self._clock.now(), attempted=True)
        try:
            result = await self._gateway.create_refund(
                transaction_reference=payment.reference,
                amount=refund.amount,
                currency=refund.currency,
                customer_note=refund.reason or None,
                merchant_note=f"ProcusMeet refund {refund.id} for booking {payment.booking_id}",
            )
        except ServiceUnavailable as exc:
            if exc.code in _NOT_SENT:
                return await self._not_sent(refund.id, exc)
            return await self._outcome_unknown(refund.id, exc)
        except (InvalidInput, Conflict, NotFound) as exc:
            return await self._refused(refund.id, exc)
        return await self._answered(refund.id, result)

    async def _not_sent(self, refund_id: uuid.UUID, exc: DomainError) -> RefundStatus:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            refund = await refunds.get_refund(tx, refund_id, lock=True)
            if refund.status is not RefundStatus.SUBMITTING or refund.provider_refund_id is not None:
                return refund.status
            retry_at = self._policy.next_attempt(now, refund.attempts) or now + _MAX_BACKOFF
            refund = await move_refund(
                tx, refund, RefundStatus.QUEUED, now, last_error=f"{exc.code}: {exc.detail}", next_attempt_at=retry_at
            )
            await _enqueue(tx, refund, run_at=retry_at, now=now)
            return refund.status

    async def _outcome_unknown(self, refund_id: uuid.UUID, exc: DomainError) -> RefundStatus:
        log.warning("refund %s: outcome unknown, waiting for the provider's webhooks: %s", refund_id, exc)
        async with self._db.transaction() as tx:
            refund = await refunds.get_refund(tx, refund_id, lock=True)
            if refund.status is RefundStatus.SUBMITTING and refund.provider_refund_id is None:
                await refunds.note_refund_error(tx, refund_id, f"{exc.code}: {exc.detail}", self._clock.now())
            return refund.status

    async def _refused(self, refund_id: uuid.UUID, exc: DomainError) -> RefundStatus:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            refund = await refunds.get_refund(tx, refund_id, lock=True)
            if refund.status is not RefundStatus.SUBMITTING:
                return refund.status
            refund = await move_refund(
                tx,
                refund,
                RefundStatus.FAILED,
                now,
                last_error=f"{exc.code}: {exc.detail}",
                next_attempt_at=self._policy.next_attempt(now, refund.attempts),
            )
            return refund.status

    async def _answered(self, refund_id: uuid.UUID, result: RefundResult) -> RefundStatus:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            refund = await refunds.get_refund(tx, refund_id, lock=True)
            if refund.status is RefundStatus.SUBMITTING:
                refund = await move_refund(tx, refund, RefundStatus.SUBMITTED, now, provider_refund_id=result.id)
            if refund.provider_refund_id == result.id:
                await self._settle(tx, refund, result.status, now)
            refund = await refunds.get_refund(tx, refund_id)
            return refund.status

    async def apply_report(self, tx: Connection, report: RefundReport) -> str:
        """A refund.* webhook: find (or adopt) our refund and move it; returns what happened."""
        now = self._clock.now()
        found = await refunds.find_refund_by_provider_id(tx, report.id)
        if found is None:
            payment = await payments.find_payment_by_reference(tx, report.transaction_reference)
            if payment is None:
                return "unknown_transaction"
            refund = await refunds.find_unmatched_refund(tx, payment.id, report.amount)
            if refund is None:
                log.warning("refund event for %s names refund %s we did not send", payment.reference, report.id)
                return "unmatched_refund"
            refund = await move_refund(
                tx, refund, RefundStatus.SUBMITTED, now, provider_refund_id=report.id, reason="named by a webhook"
            )
        else:
            refund, stale = found
            if stale:
                if report.status == "processed":
                    log.error("refund %s: an earlier, failed attempt %s reports processed", refund.id, report.id)
                return "stale_attempt"
        if (report.amount, report.currency) != (refund.amount, refund.currency):
            log.error("refund %s: provider reports %s %s", refund.id, report.amount, report.currency)
            return "refund_mismatch"
        return await self._settle(tx, refund, report.status, now)

    async def _settle(self, tx: Connection, refund: Refund, status: str, now: dt.datetime) -> str:
        if status == "processed":
            if refund.status is RefundStatus.PROCESSED:
                return "duplicate"
            if refund.status is RefundStatus.QUEUED:
                return "ignored"
            refund = await move_refund(tx, refund, RefundStatus.PROCESSED, now)
            payment = await payments.get_payment(tx, refund.payment_id)
            entry = refund_paid_entry(
                payment_id=payment.id, refund_id=refund.id, amount=refund.amount, currency=refund.currency
            )
            await ledger.post_entry(tx, entry, now)
            await self._notices.refund_processed(tx, payment, refund, now)
            return "refund_processed"
        if status == "failed" and refund.status in (RefundStatus.SUBMITTING, RefundStatus.SUBMITTED):
            await move_refund(
                tx,
                refund,
                RefundStatus.FAILED,
                now,
                last_error="the provider reported the refund failed",
                next_attempt_at=self._policy.next_attempt(now, refund.attempts),
            )
            return "refund_failed"
        if status in _PENDING_REPORTS and refund.status is RefundStatus.SUBMITTING:
            await move_refund(tx, refund, RefundStatus.SUBMITTED, now)
            return "refund_pending"
        return "ignored"

    async def retry_due(self, now: dt.datetime | None = None) -> int:
        """Requeue failed refunds whose retry time has come, and re-enqueue queued ones whose job was lost."""
        now = now or self._clock.now()
        async with self._db.transaction() as tx:
            due = await refunds.refunds_due(
                tx, now, max_attempts=self._policy.max_attempts, queued_before=now - self._policy.lost_job_after
            )
            for candidate in due:
                refund = await refunds.get_refund(tx, candidate.id, lock=True)
                if refund.status is RefundStatus.FAILED:
                    await refunds.retire_attempt(tx, refund.id)
                    refund = await move_refund(tx, refund, RefundStatus.QUEUED, now, reason="retry")
                if refund.status is RefundStatus.QUEUED:
                    await _enqueue(tx, refund, now=now)
        return len(due)

    async def needing_attention(self, limit: int = 100) -> list[Refund]:
        """Failed refunds, and refunds sent with an unknown outcome: what an admin should look at."""
        async with self._db.connection() as conn:
            return await refunds.list_refunds(conn, [RefundStatus.FAILED, RefundStatus.SUBMITTING], limit)

    async def requeue(self, actor: AdminActor, refund_id: uuid.UUID, *, confirmed_not_refunded: bool = False) -> Refund:
        """An admin sends a refund again now: a failed one, or one whose outcome was unknown once the
        admin has checked at the provider that no refund was made (``confirmed_not_refunded``). Audited."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            refund = await refunds.get_refund(tx, refund_id, lock=True)
            before = refund
            if refund.status is RefundStatus.SUBMITTING and not confirmed_not_refunded:
                raise Conflict(
                    "refund_outcome_unknown",
                    "This refund may have reached the provider; check there, then confirm that no refund was made",
                )
            if refund.status not in (RefundStatus.FAILED, RefundStatus.SUBMITTING):
                raise Conflict(f"refund_{refund.status}", f"A {refund.status} refund cannot be sent again")
            await refunds.retire_attempt(tx, refund.id)
            refund = await move_refund(tx, refund, RefundStatus.QUEUED, now, reason="requeued by an admin")
            await _enqueue(tx, refund, now=now)
            record = AuditRecord(
                action="refund.requeue",
                target_type="refund",
                target_id=str(refund_id),
                before=snapshot(before, "status", "attempts"),
                after={**snapshot(refund, "status", "attempts"), "confirmed_not_refunded": confirmed_not_refunded},
            )
            await record_admin_action(tx, actor, record, now)
            return refund
