"""Payment jobs: sending refunds and starting payout transfers, and the sweeps that keep money moving.

Each is idempotent. A refund job sends only a refund still ``queued`` and records ``submitting``
first, so a rerun never sends it twice (an unknown outcome is left for reconciliation, not retried);
a payout job starts the transfer under the payout's own reference, which Paystack deduplicates, so
it is retried freely while Paystack is unreachable.
"""

from __future__ import annotations

import datetime as dt

from procus.jobs.registry import Entrypoint, JobRun, RetryPolicy, Schedule
from procus.services.payments import EXECUTE_REFUND, SUBMIT_PAYOUT, EscrowService, PayoutService, RefundService

__all__ = [
    "ENTRYPOINTS",
    "SCHEDULES",
    "check_unpaid_with_paystack",
    "execute_refund",
    "reconcile_payouts",
    "retry_failed_refunds",
    "submit_payout",
]


async def execute_refund(refunds: RefundService, job: JobRun) -> None:
    await refunds.execute(EXECUTE_REFUND.decode(job.payload).refund_id)


async def submit_payout(payouts: PayoutService, job: JobRun) -> None:
    await payouts.submit(SUBMIT_PAYOUT.decode(job.payload).payout_id)


async def check_unpaid_with_paystack(escrow: EscrowService) -> None:
    await escrow.expire_unpaid()


async def retry_failed_refunds(refunds: RefundService) -> None:
    await refunds.retry_due()


async def reconcile_payouts(payouts: PayoutService) -> None:
    await payouts.reconcile_stale()


_PROVIDER_RETRY = RetryPolicy(max_attempts=10, first_delay=dt.timedelta(seconds=30), max_delay=dt.timedelta(minutes=30))

ENTRYPOINTS = [
    Entrypoint(name=EXECUTE_REFUND.name, service=RefundService, run=execute_refund, retry=_PROVIDER_RETRY),
    Entrypoint(name=SUBMIT_PAYOUT.name, service=PayoutService, run=submit_payout, retry=_PROVIDER_RETRY),
]

SCHEDULES = [
    Schedule(name="payments.check_unpaid", cron="* * * * *", service=EscrowService, run=check_unpaid_with_paystack),
    Schedule(name="payments.retry_failed_refunds", cron="*/5 * * * *", service=RefundService, run=retry_failed_refunds),
    Schedule(name="payments.reconcile_payouts", cron="*/10 * * * *", service=PayoutService, run=reconcile_payouts),
]
