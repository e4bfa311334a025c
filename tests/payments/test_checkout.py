"""From booking to held payment: the checkout at Paystack, the charge.success webhook, the verify endpoint."""

from __future__ import annotations

import uuid

import msgspec

from procus.domain.payments import payment_reference
from procus.integrations.paystack.signatures import paystack_signature
from tests.payments.conftest import Payments
from tests.support.payments import Webhook, ledger_lines


async def test_booking_opens_a_checkout_and_the_webhook_holds_the_payment(payments: Payments) -> None:
    booked = await payments.book(price=75_00)
    assert booked.reference.startswith(f"bk-{booked.booking_id.hex}-")
    assert booked.authorization_url.startswith(f"{payments.relay.fake.base_url}/checkout/")
    at_paystack = await payments.relay.fake.transaction(booked.reference)
    assert (at_paystack["amount"], at_paystack["currency"], at_paystack["status"]) == (75_00, "NGN", "abandoned")
    assert at_paystack["metadata"] == {"booking_id": str(booked.booking_id)}
    [initialize] = [r for r in await payments.relay.fake.requests("/transaction/initialize") if r["status"] == 200][-1:]
    assert initialize["method"] == "POST"
    assert (await payments.payment(booked.booking_id))["status"] == "pending"
    assert "booking.requested" not in await payments.notifications(booked.expert_id), "told before it is paid"

    outcome = await payments.pay(booked)

    assert outcome == {"status": "held"}
    payment = await payments.payment(booked.booking_id)
    assert (payment["status"], payment["received_amount"], payment["received_currency"]) == ("held", 75_00, "NGN")
    assert await ledger_lines(payments.db, payment_id=payment["id"]) == [
        ("hold", "client_payments", -75_00),
        ("hold", "escrow_held", 75_00),
    ]
    assert "booking.requested" in await payments.notifications(booked.expert_id)
    assert "payment.succeeded" in await payments.notifications(booked.client_id)
    balance = await payments.client.get("/v1/payouts/balance", headers=booked.expert_headers)
    assert balance.json() == [{"currency": "NGN", "available": 0, "pending": 0, "paid_out": 0, "held": 75_00}]
    accepted = await payments.client.post(f"/v1/bookings/{booked.booking_id}/accept", headers=booked.expert_headers)
    assert accepted.status_code == 200, accepted.text
    await payments.verify_ledger()


async def test_a_redelivered_or_replayed_charge_counts_once(payments: Payments) -> None:
    booked = await payments.book()
    hook = await payments.relay.pay(booked.reference)
    assert (await payments.deliver(hook))["status"] == "held"
    assert (await payments.deliver(hook))["status"] == "duplicate"
    payment = await payments.payment(booked.booking_id)
    assert len(await ledger_lines(payments.db, payment_id=payment["id"])) == 2
    assert (await payments.notifications(booked.expert_id)).count("booking.requested") == 1
    async with payments.db.connection() as conn:
        events = await conn.fetch(
            "SELECT from_status, to_status FROM payment_events WHERE payment_id = $1 ORDER BY id", payment["id"]
        )
    assert [(e["from_status"], e["to_status"]) for e in events] == [(None, "pending"), ("pending", "held")]
    await payments.verify_ledger()


async def test_the_callback_page_verifies_with_paystack_when_the_webhook_is_late(payments: Payments) -> None:
    booked = await payments.book()
    before = await payments.client.get(f"/v1/payments/{booked.reference}/verify", headers=booked.client_headers)
    assert before.status_code == 200
    assert before.json()["status"] == "pending"
    assert before.json()["authorization_url"] == booked.authorization_url

    hook = await payments.relay.pay(booked.reference)
    verified = await payments.client.get(f"/v1/payments/{booked.reference}/verify", headers=booked.client_headers)

    assert verified.status_code == 200
    body = verified.json()
    assert (body["status"], body["amount"], body["currency"], body["authorization_url"]) == ("held", 50_00, "NGN", None)
    assert (await payments.deliver(hook))["status"] == "duplicate", "the late webhook finds it already held"
    stranger = await payments.client.get(f"/v1/payments/{booked.reference}/verify", headers=booked.expert_headers)
    assert stranger.status_code == 404
    await payments.verify_ledger()


def _tampered(hook: Webhook, secret: str, **changes: object) -> Webhook:
    data = {**hook.data, **changes}
    body = msgspec.json.encode({"event": hook.event, "data": data})
    return Webhook(event=hook.event, data=data, body=body, signature=paystack_signature(secret, body))


async def test_a_charge_for_the_wrong_amount_is_not_held_but_refunded(payments: Payments) -> None:
    booked = await payments.book(price=60_00)
    short = await payments.relay.pay(booked.reference, amount=100)

    assert (await payments.deliver(short))["status"] == "failed"

    payment = await payments.payment(booked.booking_id)
    assert (payment["status"], payment["received_amount"], payment["refunded_amount"]) == ("failed", 100, 100)
    [refund] = await payments.refunds(booked.booking_id)
    assert (refund["amount"], refund["currency"], refund["status"]) == (100, "NGN", "queued")
    assert "booking.requested" not in await payments.notifications(booked.expert_id)
    accepted = await payments.client.post(f"/v1/bookings/{booked.booking_id}/accept", headers=booked.expert_headers)
    assert accepted.status_code == 409
    assert accepted.json()["code"] == "payment_pending"
    assert (await payments.deliver(short))["status"] == "duplicate", "one charge per reference"
    await payments.verify_ledger()


async def test_a_charge_in_another_currency_is_refunded_in_that_currency(payments: Payments) -> None:
    booked = await payments.book()
    other_currency = await payments.relay.pay(booked.reference, currency="GHS")

    assert (await payments.deliver(other_currency))["status"] == "failed"

    [refund] = await payments.refunds(booked.booking_id)
    assert (refund["amount"], refund["currency"]) == (50_00, "GHS")
    payment = await payments.payment(booked.booking_id)
    assert await ledger_lines(payments.db, payment_id=payment["id"]) == [
        ("hold", "client_payments", -50_00),
        ("hold", "escrow_held", 50_00),
        ("refund", "escrow_held", -50_00),
        ("refund", "refunds_pending", 50_00),
    ]
    await payments.verify_ledger()


async def test_events_for_other_references_and_other_kinds_are_acknowledged(payments: Payments) -> None:
    secret = payments.relay.fake.secret_key
    for event, data in (
        ("charge.success", {"id": 1, "reference": "not-ours", "status": "success", "amount": 100, "currency": "NGN"}),
        ("charge.dispute.create", {"id": 7, "reference": "whatever"}),
        ("subscription.create", {"id": 8}),
    ):
        body = msgspec.json.encode({"event": event, "data": data})
        hook = Webhook(event=event, data=data, body=body, signature=paystack_signature(secret, body))
        assert (await payments.deliver(hook))["status"] in {"unconfirmed", "ignored"}
    await payments.verify_ledger()


async def test_a_charge_overtaking_its_booking_is_retried_not_lost(payments: Payments) -> None:
    """Paid between the checkout and the commit of its booking: 503, nothing kept, Paystack retries."""
    reference = payment_reference(uuid.uuid4(), "race")
    await payments.services.integrations.payments.initialize_transaction(
        email="client@example.com", amount=50_00, currency="NGN", reference=reference
    )
    early = await payments.relay.pay(reference)

    response = await payments.relay.post(payments.client, early)

    assert response.status_code == 503
    assert response.json()["code"] == "payment_not_recorded_yet"
    async with payments.db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM webhook_events") == 0


async def test_a_signed_charge_paystack_does_not_confirm_holds_nothing(payments: Payments) -> None:
    """Signed, for a real checkout, but never paid at Paystack: the verify endpoint says no."""
    booked = await payments.book()
    data = {"id": 99, "reference": booked.reference, "status": "success", "amount": 50_00, "currency": "NGN"}
    body = msgspec.json.encode({"event": "charge.success", "data": data})
    hook = Webhook(
        event="charge.success", data=data, body=body, signature=paystack_signature(payments.relay.fake.secret_key, body)
    )

    assert (await payments.deliver(hook))["status"] == "unconfirmed"

    payment = await payments.payment(booked.booking_id)
    assert (payment["status"], payment["received_amount"]) == ("pending", None)
    assert await payments.relay.fake.requests(f"/transaction/verify/{booked.reference}", "GET")
    genuine = await payments.relay.pay(booked.reference)
    assert (await payments.deliver(genuine))["status"] == "held"  # the unconfirmed one blocked nothing
    await payments.verify_ledger()


async def test_the_amount_paystack_confirms_counts_not_the_one_the_webhook_says(payments: Payments) -> None:
    booked = await payments.book(price=60_00)
    genuine = await payments.relay.pay(booked.reference)
    inflated = _tampered(genuine, payments.relay.fake.secret_key, amount=1_000_00)

    assert (await payments.deliver(inflated))["status"] == "held"

    payment = await payments.payment(booked.booking_id)
    assert (payment["status"], payment["received_amount"]) == ("held", 60_00)
    await payments.verify_ledger()


async def test_a_charge_paystack_cannot_be_asked_about_is_retried_not_lost(payments: Payments) -> None:
    booked = await payments.book()
    genuine = await payments.relay.pay(booked.reference)
    await payments.relay.fake.fail_next(20, status=503, path_prefix="/transaction/verify")

    refused = await payments.relay.post(payments.client, genuine)

    assert refused.status_code == 503
    assert refused.headers["content-type"] == "application/problem+json"
    async with payments.db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM webhook_events") == 0
    assert (await payments.payment(booked.booking_id))["status"] == "pending"
    await payments.relay.fake.clear_faults()
    assert (await payments.deliver(genuine))["status"] == "held"  # Paystack's retry
    await payments.verify_ledger()
