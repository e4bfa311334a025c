"""POST /v1/webhooks/paystack trusts only Paystack's signature over the exact bytes received."""

from __future__ import annotations

import msgspec
import pytest

from procus.integrations.paystack.signatures import paystack_signature
from tests.payments.conftest import Booked, Payments
from tests.support.payments import WEBHOOK_PATH, Webhook


async def _stored_webhooks(payments: Payments) -> int:
    async with payments.db.connection() as conn:
        count: int = await conn.fetchval("SELECT count(*) FROM webhook_events")
    return count


async def _unchanged(payments: Payments, booked: Booked) -> None:
    payment = await payments.payment(booked.booking_id)
    assert (payment["status"], payment["received_amount"]) == ("pending", None)
    assert await _stored_webhooks(payments) == 0
    async with payments.db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM ledger_lines") == 0


@pytest.mark.parametrize(
    ("case", "signature"),
    [
        ("missing", None),
        ("empty", ""),
        ("garbage", "not-a-signature"),
        ("signed with another key", "0" * 128),
    ],
)
async def test_a_bad_or_missing_signature_is_refused_and_changes_nothing(
    payments: Payments, case: str, signature: str | None
) -> None:
    booked = await payments.book()
    genuine = await payments.relay.pay(booked.reference)
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["x-paystack-signature"] = signature

    response = await payments.client.post(WEBHOOK_PATH, content=genuine.body, headers=headers)

    assert response.status_code == 401, case
    assert response.json()["code"] == "invalid_signature"
    await _unchanged(payments, booked)


async def test_a_body_altered_after_signing_is_refused(payments: Payments) -> None:
    booked = await payments.book()
    genuine = await payments.relay.pay(booked.reference)
    altered = genuine.body.replace(b'"amount":5000', b'"amount":5001', 1)
    assert altered != genuine.body
    reordered = genuine.body + b" "

    for body in (altered, reordered):
        forged = Webhook(event=genuine.event, data=genuine.data, body=body, signature=genuine.signature)
        assert (await payments.relay.post(payments.client, forged)).status_code == 401
    await _unchanged(payments, booked)


async def test_the_genuine_delivery_is_accepted_and_recorded_once(payments: Payments) -> None:
    booked = await payments.book()
    genuine = await payments.relay.pay(booked.reference)
    upper = Webhook(
        event=genuine.event, data=genuine.data, body=genuine.body, signature=(genuine.signature or "").upper()
    )

    assert (await payments.deliver(upper))["status"] == "held"
    assert (await payments.deliver(genuine))["status"] == "duplicate"
    assert await _stored_webhooks(payments) == 1
    async with payments.db.connection() as conn:
        row = await conn.fetchrow("SELECT event, key, outcome FROM webhook_events")
    assert dict(row) == {"event": "charge.success", "key": booked.reference, "outcome": "held"}


async def test_a_signed_body_that_is_not_json_is_a_client_error(payments: Payments) -> None:
    body = b"definitely not json"
    signature = paystack_signature(payments.relay.fake.secret_key, body)
    response = await payments.client.post(WEBHOOK_PATH, content=body, headers={"x-paystack-signature": signature})
    assert response.status_code == 422
    assert response.json()["code"] == "malformed_webhook"
    assert await _stored_webhooks(payments) == 0


async def test_a_signed_event_whose_data_we_cannot_read_is_refused_like_any_malformed_one(
    payments: Payments,
) -> None:
    """A 200 KB reference answered 200 'malformed' while other malformed deliveries got 422."""
    booked = await payments.book()
    body = msgspec.json.encode(
        {
            "event": "charge.success",
            "data": {"reference": "R" * 200_000, "amount": 5000, "currency": "NGN", "status": "success"},
        }
    )
    signature = paystack_signature(payments.relay.fake.secret_key, body)
    response = await payments.client.post(WEBHOOK_PATH, content=body, headers={"x-paystack-signature": signature})
    assert response.status_code == 422
    assert response.json()["code"] == "malformed_webhook"
    await _unchanged(payments, booked)


@pytest.mark.parametrize("path", [WEBHOOK_PATH, "/v1/webhooks/livekit"])
async def test_a_webhook_body_over_256_kib_is_refused_before_its_signature_is_checked(
    payments: Payments, path: str
) -> None:
    body = b'{"event":"charge.success","data":{"pad":"' + b"x" * (256 * 1024) + b'"}}'
    signature = paystack_signature(payments.relay.fake.secret_key, body)
    response = await payments.client.post(
        path, content=body, headers={"x-paystack-signature": signature, "authorization": "Bearer x"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "payload_too_large"
    assert await _stored_webhooks(payments) == 0
