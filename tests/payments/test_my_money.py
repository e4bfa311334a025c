"""A client's payment history with HTML receipts, and an expert's monthly earnings statement."""

from __future__ import annotations

import datetime as dt

from tests.payments.conftest import Payments
from tests.support.bookings import http_user
from tests.support.trust import http_admin

ACCOUNT = {"bank_code": "057", "account_number": "0123456789", "name": "Grace Expert", "currency": "NGN"}


async def test_a_client_lists_payments_and_reads_receipts(payments: Payments) -> None:
    first = await payments.paid_booking(price=80_00)
    async with payments.db.connection() as conn:
        await conn.execute("UPDATE users SET full_name = '<Grace & Co>' WHERE id = $1", first.expert_id)
    unpaid = await payments.book()
    listed = await payments.client.get("/v1/me/payments", headers=first.client_headers)
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert (item["booking_id"], item["status"], item["amount"]) == (str(first.booking_id), "held", 80_00)
    receipt = await payments.client.get(item["receipt_path"], headers=first.client_headers)
    assert receipt.status_code == 200, receipt.text
    assert receipt.headers["content-type"].startswith("text/html")
    page = receipt.text
    assert item["reference"] in page
    assert "&lt;Grace &amp; Co&gt;" in page
    assert "<Grace" not in page
    assert "NGN 80.00" in page

    assert (await payments.cancel(first)).status_code == 200
    refunded = (await payments.client.get(item["receipt_path"], headers=first.client_headers)).text
    assert "Refunded" in refunded
    assert "NGN 0.00" in refunded

    _, stranger = await http_user(payments.client, payments.db)
    assert (await payments.client.get(item["receipt_path"], headers=stranger)).status_code == 404
    [pending] = (await payments.client.get("/v1/me/payments", headers=unpaid.client_headers)).json()["items"]
    assert pending["receipt_path"] is None
    async with payments.db.connection() as conn:
        pending_id = await conn.fetchval("SELECT id FROM payments WHERE booking_id = $1", unpaid.booking_id)
    early = await payments.client.get(f"/v1/me/payments/{pending_id}/receipt", headers=unpaid.client_headers)
    assert (early.status_code, early.json()["code"]) == (409, "payment_not_received")


async def test_an_expert_statement_adds_up_from_opening_to_closing(payments: Payments) -> None:
    _, admin = await http_admin(payments.client, payments.db)
    booked = await payments.paid_booking(price=300_00)
    await payments.release(booked.booking_id)
    refund = await payments.client.post(
        f"/v1/admin/bookings/{booked.booking_id}/refund",
        json={"amount": 100_00, "reason": "Partly unhappy"},
        headers=admin,
    )
    assert refund.status_code == 200, refund.text
    assert (
        await payments.client.put("/v1/payouts/accounts", json=ACCOUNT, headers=booked.expert_headers)
    ).status_code == 200
    payout = await payments.client.post("/v1/payouts", json={"amount": 150_00}, headers=booked.expert_headers)
    assert payout.status_code in (200, 201), payout.text

    month = payments.clock.now().strftime("%Y-%m")
    response = await payments.client.get(f"/v1/me/earnings/{month}", headers=booked.expert_headers)
    assert response.status_code == 200, response.text
    [ngn] = response.json()["currencies"]
    assert ngn["currency"] == "NGN"
    assert (ngn["opening_balance"], ngn["earned"], ngn["taken_back"], ngn["paid_out"]) == (0, 270_00, 90_00, 150_00)
    assert ngn["platform_fees"] == 30_00 - 10_00
    assert ngn["closing_balance"] == 270_00 - 90_00 - 150_00
    assert ngn["opening_balance"] + sum(line["amount"] for line in ngn["lines"]) == ngn["closing_balance"]
    assert [line["kind"] for line in ngn["lines"]] == ["release", "refund_after_release", "payout_requested"]

    next_month = (payments.clock.now().replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")
    later = (await payments.client.get(f"/v1/me/earnings/{next_month}", headers=booked.expert_headers)).json()
    [carried] = later["currencies"]
    assert carried["opening_balance"] == carried["closing_balance"] == ngn["closing_balance"]
    assert carried["lines"] == []
    bad = await payments.client.get("/v1/me/earnings/2026-13", headers=booked.expert_headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_month")
    as_client = await payments.client.get(f"/v1/me/earnings/{month}", headers=booked.client_headers)
    assert as_client.status_code == 403
