"""A ``procus worker`` killed while Paystack is still working on its transfer request leaves the payout
to be retried, and the retry never pays the expert twice: the payout id is the transfer reference."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest

from procus.config import Settings
from procus_devstack.fake_paystack import FaultRule
from tests.jobs.conftest import drain
from tests.payments.conftest import Payments
from tests.payments.test_payouts import _earning, _request, _with_account
from tests.support.procus_processes import procus_process

SLOW_TRANSFER_SECONDS = 3.0


async def _until(condition: object, timeout: float, what: str) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, what
        await asyncio.sleep(0.05)


@pytest.mark.timeout(180)
async def test_a_worker_killed_mid_transfer_is_retried_into_exactly_one_transfer(
    payments: Payments, settings: Settings
) -> None:
    booked = await _earning(payments, 500_00)
    await _with_account(payments, booked)
    server = payments.relay.fake
    earlier = list(server.fake.requests)
    slow = FaultRule(remaining=1, status=None, method="POST", path_prefix="/transfer", delay=SLOW_TRANSFER_SECONDS)
    server.fake.faults.append(slow)
    created = await _request(payments, booked, 300_00)
    assert created.status_code == 201, created.text
    payout = created.json()
    reference = payout["reference"]

    async with procus_process(
        settings, "worker", PAYSTACK_BASE_URL=server.base_url, PAYSTACK_SECRET_KEY=server.secret_key
    ) as doomed:
        await _until(lambda: slow.remaining == 0, 90, f"the worker never sent the transfer:\n{doomed.output()}")
        doomed.process.kill()  # SIGKILL: no chance to finish or to give the job back
        await doomed.process.wait()

    # Paystack still carries out the request the dead worker sent ...
    await _until(lambda: reference in server.fake.ledger.transfers, 30, "the slow transfer was never made")
    async with payments.db.connection() as conn:
        assert await conn.fetchval("SELECT status::text FROM payouts WHERE id = $1", uuid.UUID(payout["id"])) == (
            "pending"
        )
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'payments.submit_payout' AND status = 'picked'"
            )
            == 1
        )

    # ... and another worker, once the dead one's heartbeat is stale, submits the payout again.
    await asyncio.sleep(1.5)
    await drain(payments.services, heartbeat_timeout=dt.timedelta(seconds=1))
    transfer_posts = [r for r in server.requests_since(earlier) if r.method == "POST" and r.path == "/transfer"]
    assert len(transfer_posts) == 2  # the killed worker's and the retry
    assert [t.reference for t in server.fake.ledger.transfers.values()].count(reference) == 1
    listed = await payments.client.get("/v1/payouts", headers=booked.expert_headers)
    assert [(p["id"], p["status"]) for p in listed.json()] == [(payout["id"], "processing")]

    success = await payments.relay.settle_transfer(reference, "succeed")
    assert (await payments.deliver(success))["status"] == "paid"
    await payments.verify_ledger()
