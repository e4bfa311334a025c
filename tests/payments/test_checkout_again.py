"""Paying again while the slot is held: the same live checkout, or a new one after a declined attempt
(never two payable checkouts); an old checkout's reference still finds the payment."""

from __future__ import annotations

from tests.payments.conftest import Payments
from tests.support.bookings import http_user


async def test_a_declined_payment_gets_a_new_checkout_that_pays_the_booking(payments: Payments) -> None:
    booked = await payments.book()
    path = f"/v1/bookings/{booked.booking_id}/checkout"

    same = await payments.client.post(path, headers=booked.client_headers)
    assert same.status_code == 200, same.text
    assert same.json() == {"reference": booked.reference, "authorization_url": booked.authorization_url}

    await payments.relay.fake.decline(booked.reference)
    fresh = await payments.client.post(path, headers=booked.client_headers)
    assert fresh.status_code == 200, fresh.text
    new_reference = fresh.json()["reference"]
    assert new_reference != booked.reference
    assert fresh.json()["authorization_url"] != booked.authorization_url
    payment = await payments.payment(booked.booking_id)
    assert (payment["reference"], payment["status"]) == (new_reference, "pending")

    assert (await payments.deliver(await payments.relay.pay(new_reference)))["status"] == "held"
    assert (await payments.payment(booked.booking_id))["status"] == "held"
    old = await payments.client.get(f"/v1/payments/{booked.reference}/verify", headers=booked.client_headers)
    assert old.status_code == 200, old.text
    assert old.json()["status"] == "held", "the replaced reference still leads to the payment"
    paid = await payments.client.post(path, headers=booked.client_headers)
    assert (paid.status_code, paid.json()["code"]) == (409, "payment_not_pending")
    await payments.verify_ledger()


async def test_only_the_client_and_only_while_the_slot_is_held(payments: Payments) -> None:
    booked = await payments.book()
    path = f"/v1/bookings/{booked.booking_id}/checkout"
    _, stranger = await http_user(payments.client, payments.db)
    assert (await payments.client.post(path, headers=stranger)).status_code == 404
    async with payments.db.connection() as conn:
        await conn.execute(
            "UPDATE bookings SET created_at = created_at - interval '31 minutes' WHERE id = $1", booked.booking_id
        )
    late = await payments.client.post(path, headers=booked.client_headers)
    assert (late.status_code, late.json()["code"]) == (409, "slot_released")
