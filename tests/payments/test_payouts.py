"""Experts' payouts: bank account, balance from the ledger, transfers and their webhooks, no overdraft."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import msgspec

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.domain.accounts import Principal, Role
from procus.domain.errors import Conflict
from tests.payments.conftest import Booked, Payments
from tests.support.http_server import serve_in_thread
from tests.support.payments import ledger_lines, paystack_client

ACCOUNT = {"bank_code": "057", "account_number": "0123456789", "name": "Grace Expert", "currency": "NGN"}


async def _earning(payments: Payments, price: int) -> Booked:
    """A completed booking: the expert has 90% of ``price`` available."""
    booked = await payments.paid_booking(price=price)
    await payments.release(booked.booking_id)
    return booked


async def _with_account(payments: Payments, booked: Booked) -> None:
    response = await payments.client.put("/v1/payouts/accounts", json=ACCOUNT, headers=booked.expert_headers)
    assert response.status_code == 200, response.text


async def _balance(payments: Payments, booked: Booked) -> dict[str, Any]:
    response = await payments.client.get("/v1/payouts/balance", headers=booked.expert_headers)
    [balance] = response.json()
    return dict(balance)


async def _request(payments: Payments, booked: Booked, amount: int, key: str | None = None) -> httpx.Response:
    headers = {**booked.expert_headers, **({"Idempotency-Key": key} if key else {})}
    return await payments.client.post("/v1/payouts", json={"amount": amount}, headers=headers)


async def test_the_bank_account_is_registered_and_only_its_last_four_digits_kept(payments: Payments) -> None:
    booked = await payments.book()
    response = await payments.client.put("/v1/payouts/accounts", json=ACCOUNT, headers=booked.expert_headers)

    assert response.status_code == 200
    body = response.json()
    assert (body["account_last4"], body["bank_code"], body["currency"]) == ("6789", "057", "NGN")
    assert ACCOUNT["account_number"] not in response.text
    listed = await payments.client.get("/v1/payouts/accounts", headers=booked.expert_headers)
    assert ACCOUNT["account_number"] not in listed.text
    assert [account["account_last4"] for account in listed.json()] == ["6789"]
    async with payments.db.connection() as conn:
        row = await conn.fetchrow("SELECT * FROM payout_accounts WHERE expert_id = $1", booked.expert_id)
    assert ACCOUNT["account_number"] not in repr(dict(row))
    banks = await payments.client.get("/v1/payouts/banks", headers=booked.expert_headers)
    assert "057" in {bank["code"] for bank in banks.json()}
    forbidden = await payments.client.put("/v1/payouts/accounts", json=ACCOUNT, headers=booked.client_headers)
    assert forbidden.status_code == 403
    bad = await payments.client.put(
        "/v1/payouts/accounts", json={**ACCOUNT, "bank_code": "999"}, headers=booked.expert_headers
    )
    assert bad.status_code == 422
    assert bad.json()["code"] == "payment_rejected"


async def test_a_payout_is_paid_through_a_transfer(payments: Payments) -> None:
    booked = await _earning(payments, 500_00)
    assert await _balance(payments, booked) == {
        "currency": "NGN",
        "available": 450_00,
        "pending": 0,
        "paid_out": 0,
        "held": 0,
    }
    assert (await _request(payments, booked, 100_00)).json()["code"] == "payout_account_missing"
    await _with_account(payments, booked)

    created = await _request(payments, booked, 300_00)

    assert created.status_code == 201, created.text
    payout = created.json()
    assert (payout["status"], payout["amount"], payout["currency"]) == ("pending", 300_00, "NGN")
    assert await _balance(payments, booked) == {
        "currency": "NGN",
        "available": 150_00,
        "pending": 300_00,
        "paid_out": 0,
        "held": 0,
    }
    payout_id = uuid.UUID(payout["id"])
    assert await payments.services.payouts.submit(payout_id) == "processing"
    assert await payments.services.payouts.submit(payout_id) == "processing"
    transfer = await payments.relay.fake._control("GET", "/requests")
    assert len([r for r in transfer if r["path"] == "/transfer" and r["status"] == 200]) >= 1

    success = await payments.relay.settle_transfer(payout["reference"], "succeed")
    assert (await payments.deliver(success))["status"] == "paid"
    assert (await payments.deliver(success))["status"] == "duplicate"

    assert await _balance(payments, booked) == {
        "currency": "NGN",
        "available": 150_00,
        "pending": 0,
        "paid_out": 300_00,
        "held": 0,
    }
    listed = await payments.client.get("/v1/payouts", headers=booked.expert_headers)
    assert [(p["id"], p["status"]) for p in listed.json()] == [(str(payout_id), "paid")]
    assert "payout.paid" in await payments.notifications(booked.expert_id)
    assert [entry for entry, _, _ in await ledger_lines(payments.db, payout_id=payout_id)] == [
        "payout_requested",
        "payout_requested",
        "payout_paid",
        "payout_paid",
    ]
    await payments.verify_ledger()


async def test_limits_on_a_payout_request(payments: Payments) -> None:
    booked = await _earning(payments, 500_00)
    await _with_account(payments, booked)

    too_small = await _request(payments, booked, 99_99)
    assert too_small.status_code == 422
    assert too_small.json()["code"] == "payout_below_minimum"
    too_big = await _request(payments, booked, 450_01)
    assert too_big.status_code == 409
    assert too_big.json()["code"] == "insufficient_balance"
    assert (
        await payments.client.post("/v1/payouts", json={"amount": 1.5}, headers=booked.expert_headers)
    ).status_code == 400
    assert (
        await payments.client.post("/v1/payouts", json={"amount": "lots"}, headers=booked.expert_headers)
    ).status_code == 400
    client_try = await payments.client.post("/v1/payouts", json={"amount": 100_00}, headers=booked.client_headers)
    assert client_try.status_code == 403
    assert (await _request(payments, booked, 450_00)).status_code == 201
    assert (await _balance(payments, booked))["available"] == 0
    await payments.verify_ledger()


async def test_an_idempotency_key_makes_a_retried_request_one_payout(payments: Payments) -> None:
    booked = await _earning(payments, 500_00)
    await _with_account(payments, booked)

    first = await _request(payments, booked, 200_00, key="payout-1")
    again = await _request(payments, booked, 200_00, key="payout-1")
    other = await _request(payments, booked, 250_00, key="payout-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert (await _balance(payments, booked))["available"] == 250_00
    await payments.verify_ledger()


async def test_failed_and_reversed_payouts_return_the_money(payments: Payments) -> None:
    booked = await _earning(payments, 1000_00)
    await _with_account(payments, booked)
    failed = (await _request(payments, booked, 200_00)).json()
    reversed_ = (await _request(payments, booked, 300_00)).json()
    for payout in (failed, reversed_):
        await payments.services.payouts.submit(uuid.UUID(payout["id"]))

    assert (await payments.deliver(await payments.relay.settle_transfer(failed["reference"], "fail")))[
        "status"
    ] == "failed"
    success = await payments.relay.settle_transfer(reversed_["reference"], "succeed")
    reversal = await payments.relay.settle_transfer(reversed_["reference"], "reverse")
    assert (await payments.deliver(reversal))["status"] == "reversed", "a reversal overtaking the success"
    assert (await payments.deliver(success))["status"] == "ignored"

    assert await _balance(payments, booked) == {
        "currency": "NGN",
        "available": 900_00,
        "pending": 0,
        "paid_out": 0,
        "held": 0,
    }
    kinds = await payments.notifications(booked.expert_id)
    assert {"payout.failed", "payout.reversed"} <= set(kinds)
    await payments.verify_ledger()


async def test_a_payout_reversed_after_it_was_paid_returns_to_available(payments: Payments) -> None:
    booked = await _earning(payments, 500_00)
    await _with_account(payments, booked)
    payout = (await _request(payments, booked, 400_00)).json()
    await payments.services.payouts.submit(uuid.UUID(payout["id"]))
    assert (await payments.deliver(await payments.relay.settle_transfer(payout["reference"], "succeed")))[
        "status"
    ] == "paid"
    assert (await _balance(payments, booked))["paid_out"] == 400_00

    assert (await payments.deliver(await payments.relay.settle_transfer(payout["reference"], "reverse")))[
        "status"
    ] == "reversed"

    balance = await _balance(payments, booked)
    assert (balance["available"], balance["paid_out"]) == (450_00, 0)
    await payments.verify_ledger()


async def test_a_transfer_paystack_refuses_fails_the_payout_at_once(payments: Payments) -> None:
    booked = await _earning(payments, 500_00)
    await _with_account(payments, booked)
    async with payments.db.connection() as conn:
        await conn.execute(
            "UPDATE payout_accounts SET recipient_code = 'RCP_gone' WHERE expert_id = $1", booked.expert_id
        )
    payout = (await _request(payments, booked, 100_00)).json()

    assert await payments.services.payouts.submit(uuid.UUID(payout["id"])) == "failed"
    assert (await _balance(payments, booked))["available"] == 450_00
    await payments.verify_ledger()


async def test_a_payout_whose_job_was_lost_is_sent_by_the_reconciler(payments: Payments) -> None:
    booked = await _earning(payments, 500_00)
    await _with_account(payments, booked)
    payout = (await _request(payments, booked, 100_00)).json()
    await payments.relay.fake.fail_next(3, status=503, method="POST", path_prefix="/transfer")
    payments.clock.advance(minutes=20)
    assert await payments.services.payouts.reconcile_stale() == 1, "Paystack down: tried, left pending"
    await payments.relay.fake.fail_next(status=502, method="POST", path_prefix="/transfer", after=True)

    assert await payments.services.payouts.reconcile_stale() == 1
    async with payments.db.connection() as conn:
        status = await conn.fetchval("SELECT status::text FROM payouts WHERE id = $1", uuid.UUID(payout["id"]))
    assert status == "processing"
    statuses = [r["status"] for r in await payments.relay.fake.requests("/transfer", "POST")][-5:]
    assert statuses == [503, 503, 503, 502, 200], "the lost answer was retried with the same reference"
    await payments.verify_ledger()


async def test_concurrent_payout_requests_never_overdraw(
    payments: Payments, settings: Settings, integrations: Integrations
) -> None:
    booked = await _earning(payments, 1000_00)
    await _with_account(payments, booked)
    served = msgspec.structs.replace(integrations, payments=paystack_client(payments.relay.fake))

    with serve_in_thread(create_app(settings, served)) as base_url:
        async with httpx.AsyncClient(base_url=base_url, headers=booked.expert_headers, timeout=30) as http:
            responses = await asyncio.gather(*(http.post("/v1/payouts", json={"amount": 100_00}) for _ in range(20)))

    codes = sorted(response.status_code for response in responses)
    assert codes == [201] * 9 + [409] * 11, [r.text for r in responses if r.status_code not in (201, 409)]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"insufficient_balance"}
    assert await _balance(payments, booked) == {
        "currency": "NGN",
        "available": 0,
        "pending": 900_00,
        "paid_out": 0,
        "held": 0,
    }
    await payments.verify_ledger()


async def test_concurrent_payouts_through_the_service_never_overdraw(payments: Payments) -> None:
    booked = await _earning(payments, 300_00)
    await _with_account(payments, booked)
    expert = Principal(
        user_id=booked.expert_id,
        email="expert@example.com",
        role=Role.EXPERT,
        session_id=uuid.uuid4(),
        full_name="Grace Expert",
        email_verified=True,
        time_zone="UTC",
    )

    outcomes = await asyncio.gather(
        *(payments.services.payouts.request(expert, amount=amount) for amount in [100_00, 120_00, 150_00] * 6),
        return_exceptions=True,
    )

    granted = [o.result.amount for o in outcomes if not isinstance(o, BaseException)]
    refused = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(error, Conflict) and error.code == "insufficient_balance" for error in refused), refused
    assert 0 < sum(granted) <= 270_00
    assert (await _balance(payments, booked))["available"] == 270_00 - sum(granted)
    await payments.verify_ledger()
