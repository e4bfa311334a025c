"""Paystack down: a booking fails cleanly (503, nothing held, nothing half-made) and the same slot can
be booked once Paystack answers again; a payout's transfer is retried with backoff and made once."""

from __future__ import annotations

import asyncio
import datetime as dt

from asyncpg import Record

from procus.worker import Worker
from tests.payments.conftest import Payments
from tests.payments.test_payouts import _balance, _earning, _request, _with_account
from tests.support.bookings import booking_body, http_expert, http_user, slot_start


async def test_a_booking_while_paystack_is_down_leaves_no_orphan_hold(payments: Payments) -> None:
    bookable, _ = await http_expert(payments.client, payments.db)
    _, client_headers = await http_user(payments.client, payments.db)
    body = booking_body(bookable, slot_start(payments.clock.now()))
    async with payments.db.connection() as conn:
        before = await conn.fetchval("SELECT count(*) FROM bookings")
    await payments.relay.fake.fail_next(50, status=502)

    refused = await payments.client.post("/v1/bookings", json=body, headers=client_headers)

    assert refused.status_code == 503, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "payment_provider_unavailable"
    async with payments.db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM bookings") == before
        assert await conn.fetchval("SELECT count(*) FROM time_holds WHERE holder_id = $1", bookable.id) == 0
        assert await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint LIKE 'payments.%'") == 0

    await payments.relay.fake.clear_faults()
    booked = await payments.client.post("/v1/bookings", json=body, headers=client_headers)
    assert booked.status_code == 201, booked.text
    assert (await payments.deliver(await payments.relay.pay(booked.json()["checkout"]["reference"])))["status"] == (
        "held"
    )
    await payments.verify_ledger()


async def test_a_payout_while_paystack_is_down_is_retried_with_backoff_and_paid_once_it_is_back(
    payments: Payments,
) -> None:
    booked = await _earning(payments, 500_00)
    await _with_account(payments, booked)
    earlier = list(payments.relay.fake.fake.requests)
    await payments.relay.fake.fail_next(50, status=502, path_prefix="/transfer")
    created = await _request(payments, booked, 300_00)
    assert created.status_code == 201, created.text
    payout = created.json()

    worker = Worker(payments.services, schedules=[], dequeue_timeout=dt.timedelta(seconds=0.5))
    running = asyncio.create_task(worker.run(drain=True))
    job = await _retried_payout_job(payments)  # the transfer could not be made: the job waits its backoff
    assert job["wait"] > dt.timedelta(seconds=20), "retried after a backoff, not at once"
    ours = [r for r in payments.relay.fake.requests_since(earlier) if r.path == "/transfer"]
    assert {r.status for r in ours} == {502}
    assert (await _balance(payments, booked))["pending"] == 300_00

    await payments.relay.fake.clear_faults()
    async with payments.db.connection() as conn:  # the backoff has passed
        await conn.execute("UPDATE pgqueuer SET execute_after = now() WHERE entrypoint = 'payments.submit_payout'")
    await asyncio.wait_for(running, 60)  # the same worker, still running, makes the transfer

    made = [t for t in payments.relay.fake.fake.ledger.transfers.values() if t.reference == payout["reference"]]
    assert len(made) == 1
    success = await payments.relay.settle_transfer(payout["reference"], "succeed")
    assert (await payments.deliver(success))["status"] == "paid"
    assert (await _balance(payments, booked))["paid_out"] == 300_00
    await payments.verify_ledger()


async def _retried_payout_job(payments: Payments) -> Record:
    for _ in range(400):
        async with payments.db.connection() as conn:
            job = await conn.fetchrow(
                "SELECT status::text AS status, attempts, execute_after - now() AS wait FROM pgqueuer"
                " WHERE entrypoint = 'payments.submit_payout'"
            )
        if job is not None and (job["status"], job["attempts"]) == ("queued", 1):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"the payout job was not put back for a retry: {job}")
