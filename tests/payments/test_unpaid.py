"""Bookings left unpaid: released after 30 minutes; a payment arriving afterwards is refunded in full."""

from __future__ import annotations

from tests.payments.conftest import Payments
from tests.support.payments import ledger_lines


async def test_an_unpaid_booking_is_released_and_a_late_charge_refunded(payments: Payments) -> None:
    booked = await payments.book()
    payments.clock.advance(minutes=31)
    assert await payments.services.escrow.expire_unpaid() == 0, "Paystack has no payment for it"
    assert await payments.services.bookings.expiry.expire_unanswered() == 1
    assert (await payments.payment(booked.booking_id))["status"] == "expired"

    late = await payments.relay.pay(booked.reference)
    assert (await payments.deliver(late))["status"] == "refunded"

    payment = await payments.payment(booked.booking_id)
    assert (payment["status"], payment["received_amount"], payment["refunded_amount"]) == ("refunded", 50_00, 50_00)
    [refund] = await payments.refunds(booked.booking_id)
    assert (refund["amount"], refund["status"]) == (50_00, "queued")
    assert "booking.requested" not in await payments.notifications(booked.expert_id)
    assert await payments.services.refunds.execute(refund["id"]) == "submitted"
    assert (await payments.deliver(await payments.relay.settle_refund(booked.reference)))[
        "status"
    ] == "refund_processed"
    assert [kind for kind, _, _ in await ledger_lines(payments.db, payment_id=payment["id"])] == [
        "hold",
        "hold",
        "refund",
        "refund",
        "refund_paid",
        "refund_paid",
    ]
    await payments.verify_ledger()


async def test_a_paid_booking_whose_webhook_is_late_is_not_released(payments: Payments) -> None:
    booked = await payments.book()
    await payments.relay.pay(booked.reference)
    payments.clock.advance(minutes=29)

    assert await payments.services.escrow.expire_unpaid() == 1
    payments.clock.advance(minutes=5)
    assert await payments.services.bookings.expiry.expire_unanswered() == 0
    assert (await payments.payment(booked.booking_id))["status"] == "held"
    assert "booking.requested" in await payments.notifications(booked.expert_id)
    await payments.verify_ledger()


async def test_cancelling_before_paying_closes_the_payment_without_moving_money(payments: Payments) -> None:
    booked = await payments.book()
    assert (await payments.cancel(booked)).status_code == 200
    payment = await payments.payment(booked.booking_id)
    assert payment["status"] == "cancelled"
    assert await ledger_lines(payments.db, payment_id=payment["id"]) == []
    state = await payments.client.get(f"/v1/payments/{booked.reference}/verify", headers=booked.client_headers)
    assert state.json()["status"] == "cancelled"

    late = await payments.relay.pay(booked.reference)
    verified = await payments.client.get(f"/v1/payments/{booked.reference}/verify", headers=booked.client_headers)
    assert verified.json()["status"] == "refund_pending", "the verify endpoint also catches the late charge"
    assert (await payments.deliver(late))["status"] == "duplicate"
    assert len(await payments.refunds(booked.booking_id)) == 1
    await payments.verify_ledger()
