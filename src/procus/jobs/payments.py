"""Payment jobs: sending refunds and starting payout transfers, and the sweeps that keep money moving.

Each is idempotent. A refund job sends only a refund still ``queued`` and records ``submitting``
first, so a rerun never sends it twice (an unknown outcome is left for reconciliation, not retried);
a payout job starts the transfer under the payout's own reference, which Paystack deduplicates, so
it is retried freely while Paystack is unreachable.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.jobs.registry import Entrypoint, JobRun, RetryPolicy, Schedule
from procus.services.payments import EXECUTE_REFUND_JOB, SUBMIT_PAYOUT_JOB, EscrowService, PayoutService

__all__ = [
    "ENTRYPOINTS",
    "SCHEDULES",
    "check_unpaid_with_paystack",
    "execute_refund",
    "reconcile_payouts",
    "retry_failed_refunds",
    "submit_payout",
]


class RefundJob(msgspec.Struct, frozen=True):
    refund_id: uuid.UUID


class PayoutJob(msgspec.Struct, frozen=True):
    payout_id: uuid.UUID


async def execute_refund(escrow: EscrowService, job: JobRun) -> None:
    await escrow.execute_refund(msgspec.json.decode(job.payload, type=RefundJob).refund_id)


async def submit_payout(payouts: PayoutService, job: JobRun) -> None:
    await payouts.submit(msgspec.json.decode(job.payload, type=PayoutJob).payout_id)


async def check_unpaid_with_paystack(escrow: EscrowService) -> None:
    await escrow.expire_unpaid()


async def retry_failed_refunds(escrow: EscrowService) -> None:
    await escrow.retry_failed_refunds()


async def reconcile_payouts(payouts: PayoutService) -> None:
    await payouts.reconcile_stale()


_PROVIDER_RETRY = RetryPolicy(max_attempts=10, first_delay=dt.timedelta(seconds=30), max_delay=dt.timedelta(minutes=30))

ENTRYPOINTS = [
    Entrypoint(name=EXECUTE_REFUND_JOB, service="escrow", run=execute_refund, retry=_PROVIDER_RETRY),
    Entrypoint(name=SUBMIT_PAYOUT_JOB, service="payouts", run=submit_payout, retry=_PROVIDER_RETRY),
]

SCHEDULES = [
    Schedule(name="payments.check_unpaid", cron="* * * * *", service="escrow", run=check_unpaid_with_paystack),
    Schedule(name="payments.retry_failed_refunds", cron="*/5 * * * *", service="escrow", run=retry_failed_refunds),
    Schedule(name="payments.reconcile_payouts", cron="*/10 * * * *", service="payouts", run=reconcile_payouts),
]
