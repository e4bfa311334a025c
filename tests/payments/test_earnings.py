"""/v1/earnings and the payout helpers: per-booking breakdown from the ledger, CSV, minimum, account names."""

from __future__ import annotations

import csv
import io

from tests.payments.conftest import Payments
from tests.support.bookings import http_expert


async def test_each_paid_booking_shows_price_fee_and_net_from_the_ledger(payments: Payments) -> None:
    expert = await http_expert(payments.client, payments.db)
    released = await payments.paid_booking(price=500_00, days=2, expert=expert)
    await payments.release(released.booking_id)
    held = await payments.paid_booking(price=333_33, days=3, expert=expert)
    refunded = await payments.paid_booking(price=70_00, days=4, expert=expert)
    assert (await payments.cancel(refunded)).status_code == 200
    unpaid = await payments.book(days=5, expert=expert)
    headers = released.expert_headers

    page = await payments.client.get("/v1/earnings", headers=headers)
    assert page.status_code == 200, page.text
    items = page.json()["items"]
    assert [item["booking_id"] for item in items] == [
        str(refunded.booking_id),
        str(held.booking_id),
        str(released.booking_id),
    ], "latest call first, unpaid bookings left out"
    assert str(unpaid.booking_id) not in page.text
    by_status = {item["status"]: item for item in items}
    assert {k: by_status["released"][k] for k in ("price", "fee", "net", "refunded", "settled", "fee_bps")} == {
        "price": 500_00,
        "fee": 50_00,
        "net": 450_00,
        "refunded": 0,
        "settled": True,
        "fee_bps": 1000,
    }
    assert by_status["released"]["client_name"] == "Ada Client"
    # In escrow: what completion will give, the fee rounded half up (33333 * 10% = 3333.3 -> 3333).
    in_escrow = by_status["in_escrow"]
    assert (in_escrow["price"], in_escrow["fee"], in_escrow["net"], in_escrow["settled"]) == (
        333_33,
        33_33,
        300_00,
        False,
    )
    gone = by_status["refunded"]
    assert (gone["price"], gone["fee"], gone["net"], gone["refunded"], gone["booking_status"]) == (
        70_00,
        0,
        0,
        70_00,
        "cancelled",
    )

    [balance] = (await payments.client.get("/v1/payouts/balance", headers=headers)).json()
    assert balance["available"] == sum(item["net"] for item in items if item["settled"])
    assert balance["held"] == in_escrow["price"]

    first = await payments.client.get("/v1/earnings", params={"limit": 2}, headers=headers)
    cursor = first.json()["next_cursor"]
    rest = await payments.client.get("/v1/earnings", params={"limit": 2, "cursor": cursor}, headers=headers)
    assert [i["booking_id"] for i in first.json()["items"] + rest.json()["items"]] == [i["booking_id"] for i in items]
    assert rest.json()["next_cursor"] is None
    bad = await payments.client.get("/v1/earnings", params={"cursor": "nope"}, headers=headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")
    assert (await payments.client.get("/v1/earnings", headers=released.client_headers)).status_code == 403

    exported = await payments.client.get("/v1/earnings/export.csv", headers=headers)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [row["booking_id"] for row in rows] == [item["booking_id"] for item in items]
    assert rows[2]["net_minor_units"] == "45000"
    assert rows[2]["earning_status"] == "released"


async def test_the_payout_minimum_and_the_account_name_are_known_before_saving(payments: Payments) -> None:
    booked = await payments.book()
    headers = booked.expert_headers
    policy = await payments.client.get("/v1/payouts/policy", headers=headers)
    assert policy.json() == {"minimum_amount": 100_00}

    resolved = await payments.client.post(
        "/v1/payouts/account-name", json={"bank_code": "057", "account_number": "0123456789"}, headers=headers
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json() == {"bank_code": "057", "account_last4": "6789", "account_name": "OJO AMAKA"}
    assert "0123456789" not in resolved.text
    for body in (
        {"bank_code": "057", "account_number": "0000000001"},
        {"bank_code": "999", "account_number": "0123456789"},
    ):
        refused = await payments.client.post("/v1/payouts/account-name", json=body, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (422, "account_not_resolved"), refused.text
    malformed = await payments.client.post(
        "/v1/payouts/account-name", json={"bank_code": "057", "account_number": "12ab"}, headers=headers
    )
    assert malformed.status_code == 400
    client_asks = await payments.client.post(
        "/v1/payouts/account-name",
        json={"bank_code": "057", "account_number": "0123456789"},
        headers=booked.client_headers,
    )
    assert client_asks.status_code == 403
