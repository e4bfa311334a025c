"""Experts' payouts: a bank account at Paystack, a balance from the ledger, and transfers out of it.

A payout request moves the amount from the expert's available balance to payouts pending in one
ledger entry, under a row lock on the expert's available-balance account, so concurrent requests
are served one at a time and never overdraw. A job then starts the transfer (its reference is the
payout id: Paystack's idempotency key, so a retry never pays twice); transfer.* webhooks settle it.
Failed and reversed payouts put the money back into the available balance.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.errors import Conflict, InvalidInput, NotFound, ServiceUnavailable
from procus.domain.gateway import Bank, TransferReport
from procus.domain.ledger import AccountKind, AccountRef, EntryKind, payout_entry
from procus.domain.money import Money
from procus.domain.payout_states import PAYOUT_TRANSITIONS, PayoutStatus
from procus.domain.payouts import ExpertBalance, Payout, PayoutAccount, check_payout_amount, validate_bank_details
from procus.services.idempotency import IdempotencyService, Outcome, Recorder
from procus.services.notices.payments import PaymentNotices
from procus.services.payments.transitions import move_payout
from procus.services.ports.clock import Clock
from procus.services.ports.payment_gateway import PaymentGateway
from procus.store import ledger, payouts
from procus.store.db import Connection, Database
from procus.store.jobs import JobKind

__all__ = ["SUBMIT_PAYOUT", "SUBMIT_PAYOUT_JOB", "PayoutJob", "PayoutRequest", "PayoutService"]

log = logging.getLogger(__name__)


class PayoutJob(msgspec.Struct, frozen=True):
    payout_id: uuid.UUID


SUBMIT_PAYOUT = JobKind("payments.submit_payout", PayoutJob)
SUBMIT_PAYOUT_JOB = SUBMIT_PAYOUT.name
REQUEST_SCOPE = "payouts.request"
_S = PayoutStatus
_TRANSFER_STATUSES = {
    "success": _S.PAID,
    "failed": _S.FAILED,
    "abandoned": _S.FAILED,
    "blocked": _S.FAILED,
    "rejected": _S.FAILED,
    "reversed": _S.REVERSED,
    "pending": _S.PROCESSING,
    "processing": _S.PROCESSING,
    "queued": _S.PROCESSING,
    "received": _S.PROCESSING,
    "otp": _S.PROCESSING,
}


class PayoutRequest(msgspec.Struct, frozen=True, kw_only=True):
    amount: int
    currency: str


class PayoutService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        gateway: PaymentGateway,
        notices: PaymentNotices,
        idempotency: IdempotencyService,
        *,
        minimum: int,
        default_currency: str,
        stale_after: dt.timedelta = dt.timedelta(minutes=15),
    ) -> None:
        self._db = db
        self._clock = clock
        self._gateway = gateway
        self._notices = notices
        self._idempotency = idempotency
        self._minimum = minimum
        self._default_currency = default_currency
        self._stale_after = stale_after

    async def banks(self, principal: Principal, currency: str) -> list[Bank]:
        principal.require_role(Role.EXPERT)
        return await self._gateway.list_banks(Money(0, currency).currency)

    async def register_account(
        self, principal: Principal, *, bank_code: str, account_number: str, name: str, currency: str
    ) -> PayoutAccount:
        """Register (or replace) where the expert's payouts in ``currency`` go."""
        principal.require_role(Role.EXPERT)
        currency = Money(0, currency).currency
        number, code, holder = validate_bank_details(account_number=account_number, bank_code=bank_code, name=name)
        recipient = await self._gateway.create_transfer_recipient(
            name=holder, account_number=number, bank_code=code, currency=currency
        )
        async with self._db.transaction() as tx:
            return await payouts.upsert_payout_account(
                tx,
                expert_id=principal.user_id,
                currency=currency,
                recipient_code=recipient.recipient_code,
                bank_code=recipient.bank_code,
                account_last4=recipient.account_last4,
                name=recipient.name,
                at=self._clock.now(),
            )

    async def accounts(self, principal: Principal) -> list[PayoutAccount]:
        principal.require_role(Role.EXPERT)
        async with self._db.connection() as conn:
            return await payouts.list_payout_accounts(conn, principal.user_id)

    async def balance(self, principal: Principal) -> list[ExpertBalance]:
        principal.require_role(Role.EXPERT)
        async with self._db.connection() as conn:
            return await ledger.expert_balances(conn, principal.user_id)

    async def history(self, principal: Principal, limit: int = 100) -> list[Payout]:
        principal.require_role(Role.EXPERT)
        async with self._db.connection() as conn:
            return await payouts.list_payouts(conn, principal.user_id, limit)

    async def request(
        self, principal: Principal, *, amount: int, currency: str | None = None, idempotency_key: str | None = None
    ) -> Outcome[Payout]:
        """Withdraw ``amount`` (minor units): at least the minimum, at most the available balance."""
        principal.require_role(Role.EXPERT)
        if currency is None:
            async with self._db.connection() as conn:
                registered = await payouts.list_payout_accounts(conn, principal.user_id)
            currency = registered[0].currency if len(registered) == 1 else self._default_currency
        wanted = PayoutRequest(amount=amount, currency=Money(0, currency).currency)

        async def operation(record: Recorder) -> Payout:
            return await self._request(principal.user_id, wanted, record)

        return await self._idempotency.run(
            user_id=principal.user_id,
            scope=REQUEST_SCOPE,
            key=idempotency_key,
            request=wanted,
            result_type=Payout,
            operation=operation,
        )

    async def _request(self, expert_id: uuid.UUID, wanted: PayoutRequest, record: Recorder) -> Payout:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            try:
                account = await payouts.get_payout_account(tx, expert_id, wanted.currency)
            except NotFound as exc:
                raise Conflict("payout_account_missing", exc.detail) from None
            available_account = AccountRef(
                kind=AccountKind.EXPERT_AVAILABLE, currency=wanted.currency, owner_id=expert_id
            )
            await ledger.lock_account(tx, available_account)
            available = await ledger.account_balance(tx, available_account)
            check_payout_amount(wanted.amount, available=available, minimum=self._minimum)
            payout = await payouts.insert_payout(
                tx,
                expert_id=expert_id,
                amount=wanted.amount,
                currency=wanted.currency,
                recipient_code=account.recipient_code,
                at=now,
            )
            await payouts.insert_payout_event(tx, payout.id, from_status=None, to_status=payout.status, at=now)
            entry = payout_entry(
                EntryKind.PAYOUT_REQUESTED,
                payout_id=payout.id,
                expert_id=expert_id,
                amount=payout.amount,
                currency=payout.currency,
            )
            await ledger.post_entry(tx, entry, now)
            await SUBMIT_PAYOUT.enqueue(tx, PayoutJob(payout.id), dedupe_key=f"payout:{payout.id}")
            await record(tx, payout)
        return payout

    async def submit(self, payout_id: uuid.UUID) -> PayoutStatus:
        """Start the transfer of a pending payout (the job body). Safe to repeat: the payout id is the
        transfer reference, which Paystack deduplicates. Provider outages propagate so the job retries."""
        async with self._db.connection() as conn:
            payout = await payouts.get_payout(conn, payout_id)
        if payout.status is not PayoutStatus.PENDING:
            return payout.status
        try:
            result = await self._gateway.initiate_transfer(
                amount=payout.amount,
                currency=payout.currency,
                recipient_code=payout.recipient_code,
                reference=payout.reference,
                reason="ProcusMeet payout",
            )
        except InvalidInput as exc:
            return await self._settle(payout_id, "failed", None, exc.detail)
        except Conflict:
            result = await self._gateway.verify_transfer(payout.reference)
        if result.status == "otp":
            log.error("payout %s waits for an OTP: disable transfer OTP in the Paystack dashboard", payout.id)
        return await self._settle(payout_id, result.status, result.transfer_code, None)

    async def apply_report(self, tx: Connection, report: TransferReport) -> str:
        """A transfer.* webhook; returns what happened."""
        try:
            payout = await payouts.get_payout(tx, uuid.UUID(report.reference), lock=True)
        except (ValueError, NotFound):
            return "unknown_reference"
        if (report.amount, report.currency) != (payout.amount, payout.currency):
            log.error("payout %s: the provider reports %s %s", payout.id, report.amount, report.currency)
            return "transfer_mismatch"
        return await self._apply(tx, payout, report.status, report.transfer_code, report.reason)

    async def reconcile_stale(self, now: dt.datetime | None = None) -> int:
        """Payouts in flight for a while: start the transfer again (same reference) or ask Paystack."""
        now = now or self._clock.now()
        async with self._db.connection() as conn:
            stale = await payouts.stale_payouts(conn, now - self._stale_after)
        for payout in stale:
            try:
                await self._reconcile(payout)
            except ServiceUnavailable as exc:
                log.warning("payout %s: Paystack unavailable, trying again later: %s", payout.id, exc)
        return len(stale)

    async def _reconcile(self, payout: Payout) -> None:
        if payout.status is PayoutStatus.PENDING:
            await self.submit(payout.id)
            return
        try:
            result = await self._gateway.verify_transfer(payout.reference)
        except NotFound:
            log.error("payout %s is processing but Paystack does not know its transfer", payout.id)
            return
        await self._settle(payout.id, result.status, result.transfer_code, None)

    async def _settle(
        self, payout_id: uuid.UUID, status: str, transfer_code: str | None, reason: str | None
    ) -> PayoutStatus:
        async with self._db.transaction() as tx:
            payout = await payouts.get_payout(tx, payout_id, lock=True)
            await self._apply(tx, payout, status, transfer_code, reason)
            return (await payouts.get_payout(tx, payout_id)).status

    async def _apply(
        self, tx: Connection, payout: Payout, status: str, transfer_code: str | None, reason: str | None
    ) -> str:
        target = _TRANSFER_STATUSES.get(status)
        if target is None:
            return "ignored"
        if target is payout.status:
            return "duplicate"
        if target not in PAYOUT_TRANSITIONS[payout.status]:
            return "ignored"
        now = self._clock.now()
        failure = (reason or f"the transfer was {status}") if target in (_S.FAILED, _S.REVERSED) else None
        moved = await move_payout(tx, payout, target, now, transfer_code=transfer_code, failure_reason=failure)
        movement = {
            _S.PAID: EntryKind.PAYOUT_PAID,
            _S.FAILED: EntryKind.PAYOUT_RETURNED,
            _S.REVERSED: EntryKind.PAYOUT_REVERSED if payout.status is _S.PAID else EntryKind.PAYOUT_RETURNED,
        }.get(target)
        if movement is not None:
            entry = payout_entry(
                movement,
                payout_id=payout.id,
                expert_id=payout.expert_id,
                amount=payout.amount,
                currency=payout.currency,
            )
            await ledger.post_entry(tx, entry, now)
            await self._notices.payout_changed(tx, moved, now)
        return str(target)
