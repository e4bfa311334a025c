"""Admin money API on the fake Paystack: payments, refunds and payouts lists, holding and releasing a
payout (audited, ledger balanced), the ledger check on demand, and platform revenue per period."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.payments.conftest import Payments
from tests.support.trust import http_admin, the_audit_row

ACCOUNT = {"bank_code": "057", "account_number": "0123456789", "name": "Grace Expert", "currency": "NGN"}


async def test_money_lists_filter_by_user_and_status(payments: Payments) -> None:
    _, admin = await http_admin(payments.client, payments.db)
    kept = await payments.paid_booking(price=80_00)
    cancelled = await payments.paid_booking(price=30_00)
    assert (await payments.cancel(cancelled)).status_code == 200

    listed = await payments.client.get("/v1/admin/payments", params={"user_id": str(kept.client_id)}, headers=admin)
    assert listed.status_code == 200, listed.text
    assert [(p["booking_id"], p["status"], p["amount"]) for p in listed.json()["items"]] == [
        (str(kept.booking_id), "held", 80_00)
    ]
    held = await payments.client.get("/v1/admin/payments", params={"status": "held"}, headers=admin)
    assert str(kept.booking_id) in {p["booking_id"] for p in held.json()["items"]}
    assert str(cancelled.booking_id) not in {p["booking_id"] for p in held.json()["items"]}

    refunds = await payments.client.get(
        "/v1/admin/refunds/all", params={"user_id": str(cancelled.client_id)}, headers=admin
    )
    assert [(r["amount"], r["status"]) for r in refunds.json()["items"]] == [(30_00, "queued")]
    other_currency = await payments.client.get("/v1/admin/payments", params={"currency": "usd"}, headers=admin)
    assert other_currency.json()["items"] == []


async def test_an_admin_holds_and_releases_a_payout_and_the_ledger_stays_balanced(payments: Payments) -> None:
    _, admin = await http_admin(payments.client, payments.db)
    booked = await payments.paid_booking(price=500_00)
    await payments.release(booked.booking_id)
    account = await payments.client.put("/v1/payouts/accounts", json=ACCOUNT, headers=booked.expert_headers)
    assert account.status_code == 200, account.text
    requested = await payments.client.post("/v1/payouts", json={"amount": 200_00}, headers=booked.expert_headers)
    assert requested.status_code in (200, 201), requested.text
    payout_id = requested.json()["id"]

    listed = await payments.client.get("/v1/admin/payouts", params={"user_id": str(booked.expert_id)}, headers=admin)
    assert [(p["id"], p["status"]) for p in listed.json()["items"]] == [(payout_id, "pending")]

    held = await payments.client.post(
        f"/v1/admin/payouts/{payout_id}/hold", json={"reason": "KYC check"}, headers=admin
    )
    assert held.status_code == 200, held.text
    assert held.json()["status"] == "held"
    assert await payments.services.payouts.submit(uuid.UUID(payout_id)) == "held", "a held payout is not sent"
    await payments.verify_ledger()
    entry = await the_audit_row(payments.db, payout_id, "payout.hold")
    assert (entry["before"]["status"], entry["after"]["status"], entry["reason"]) == ("pending", "held", "KYC check")
    twice = await payments.client.post(f"/v1/admin/payouts/{payout_id}/hold", json={"reason": "again"}, headers=admin)
    assert (twice.status_code, twice.json()["code"]) == (409, "payout_held")

    released = await payments.client.post(
        f"/v1/admin/payouts/{payout_id}/release", json={"reason": "KYC passed"}, headers=admin
    )
    assert released.json()["status"] == "pending"
    entry = await the_audit_row(payments.db, payout_id, "payout.release")
    assert (entry["before"]["status"], entry["after"]["status"]) == ("held", "pending")
    async with payments.db.connection() as conn:
        queued = await conn.fetchval(
            "SELECT count(*) FROM pgqueuer"
            " WHERE entrypoint = 'payments.submit_payout' AND convert_from(payload, 'UTF8') LIKE $1",
            f"%{payout_id}%",
        )
    assert queued >= 1
    await payments.verify_ledger()

    check = await payments.client.get("/v1/admin/ledger/verification", headers=admin)
    assert check.json() == {"balanced": True, "discrepancies": []}


async def test_revenue_per_day_and_month_is_the_platform_fee_per_currency(payments: Payments) -> None:
    _, admin = await http_admin(payments.client, payments.db)
    first = await payments.paid_booking(price=100_00)
    second = await payments.paid_booking(price=40_00)
    await payments.release(first.booking_id)
    await payments.release(second.booking_id)
    now = dt.datetime.now(dt.UTC)
    window = {"from": (now - dt.timedelta(days=40)).isoformat(), "to": (now + dt.timedelta(days=1)).isoformat()}

    daily = await payments.client.get("/v1/admin/revenue", params={**window, "period": "day"}, headers=admin)
    assert daily.status_code == 200, daily.text
    [line] = daily.json()
    assert (line["currency"], line["amount"]) == ("NGN", 14_00)
    assert dt.datetime.fromisoformat(line["period_start"]).date() == now.date()
    monthly = await payments.client.get("/v1/admin/revenue", params={**window, "period": "month"}, headers=admin)
    assert [(m["currency"], m["amount"]) for m in monthly.json()] == [("NGN", 14_00)]
    backwards = await payments.client.get(
        "/v1/admin/revenue", params={"from": window["to"], "to": window["from"]}, headers=admin
    )
    assert (backwards.status_code, backwards.json()["code"]) == (422, "invalid_range")


async def _available(payments: Payments, headers: dict[str, str]) -> int:
    [balance] = (await payments.client.get("/v1/payouts/balance", headers=headers)).json()
    return int(balance["available"])


async def test_refunding_a_completed_booking_debits_the_expert_or_is_refused_once_paid_out(
    payments: Payments,
) -> None:
    _, admin = await http_admin(payments.client, payments.db)
    booked = await payments.paid_booking(price=200_00)
    await payments.release(booked.booking_id)
    assert await _available(payments, booked.expert_headers) == 180_00

    partial = await payments.client.post(
        f"/v1/admin/bookings/{booked.booking_id}/refund",
        json={"amount": 50_00, "reason": "Call cut short"},
        headers=admin,
    )
    assert partial.status_code == 200, partial.text
    assert (partial.json()["status"], partial.json()["refunded_amount"]) == ("partially_refunded", 50_00)
    assert await _available(payments, booked.expert_headers) == 180_00 - 45_00
    await payments.verify_ledger()
    entry = await the_audit_row(payments.db, booked.booking_id, "payment.refund")
    assert (entry["before"]["status"], entry["after"]["status"]) == ("released", "partially_refunded")
    assert (entry["before"]["expert_amount"], entry["after"]["expert_amount"]) == (180_00, 135_00)
    assert [r["amount"] for r in await payments.refunds(booked.booking_id)] == [50_00]

    too_much = await payments.client.post(
        f"/v1/admin/bookings/{booked.booking_id}/refund", json={"amount": 151_00, "reason": "x"}, headers=admin
    )
    assert (too_much.status_code, too_much.json()["code"]) == (422, "refund_too_large")

    other = await payments.paid_booking(price=200_00)
    await payments.release(other.booking_id)
    account = await payments.client.put("/v1/payouts/accounts", json=ACCOUNT, headers=other.expert_headers)
    assert account.status_code == 200
    paid_out = await payments.client.post("/v1/payouts", json={"amount": 180_00}, headers=other.expert_headers)
    assert paid_out.status_code in (200, 201), paid_out.text
    refused = await payments.client.post(
        f"/v1/admin/bookings/{other.booking_id}/refund", json={"reason": "Complaint"}, headers=admin
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "already_paid_out")
    assert await the_audit_row_count(payments, other.booking_id) == 0

    rest = await payments.client.post(
        f"/v1/admin/bookings/{booked.booking_id}/refund", json={"reason": "Refund the rest"}, headers=admin
    )
    assert (rest.json()["status"], rest.json()["refunded_amount"]) == ("refunded", 200_00)
    assert await _available(payments, booked.expert_headers) == 0
    await payments.verify_ledger()


async def the_audit_row_count(payments: Payments, target_id: object) -> int:
    async with payments.db.connection() as conn:
        count: int = await conn.fetchval("SELECT count(*) FROM admin_audit WHERE target_id = $1", str(target_id))
    return count
