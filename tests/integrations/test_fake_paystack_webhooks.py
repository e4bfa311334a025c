"""The fake delivers webhooks as Paystack does: signed raw JSON, retried until answered with 200.

Our verifier must accept what the fake sends; the fake signs independently (its own hmac call), so
agreement here is evidence for both.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest

from procus.integrations.paystack import PaystackClient
from procus.integrations.paystack.signatures import verify_paystack_signature
from tests.support.fake_paystack import FakePaystackServer, PaystackWebhookReceiver


@pytest.fixture
def receiver() -> Iterator[PaystackWebhookReceiver]:
    hooks = PaystackWebhookReceiver(statuses=[500, 503])
    yield hooks
    hooks.close()


async def test_charge_success_is_delivered_signed_and_retried_until_200(receiver: PaystackWebhookReceiver) -> None:
    with FakePaystackServer(webhook_url=receiver.url, webhook_retry_delays=(0.02, 0.05, 0.1)) as fake:
        async with PaystackClient(fake.secret_key, fake.base_url) as paystack:
            reference = f"bk-{uuid.uuid4()}"
            await paystack.initialize_transaction(
                email="client@example.com", amount=750_000, currency="NGN", reference=reference
            )
            await fake.pay(reference)
            deliveries = await receiver.wait_for_count(3)
            [record] = await fake.wait_for_webhooks(1, lambda w: w["state"] == "delivered")

            assert [d.answered for d in deliveries] == [500, 503, 200]
            assert len({d.body for d in deliveries}) == 1, "a retry resends the same bytes"
            for delivery in deliveries:
                assert delivery.content_type == "application/json"
                assert verify_paystack_signature(fake.secret_key, delivery.body, delivery.signature)
                assert paystack.verify_webhook_signature(delivery.body, delivery.signature)
                assert not verify_paystack_signature("sk_test_other", delivery.body, delivery.signature)

            event = json.loads(deliveries[-1].body)
            assert event["event"] == "charge.success"
            assert (event["data"]["reference"], event["data"]["amount"]) == (reference, 750_000)
            assert event["data"]["status"] == "success"
            assert record["attempts"] == ["500", "503", "200"]


async def test_delivery_gives_up_after_bounded_retries() -> None:
    receiver = PaystackWebhookReceiver(statuses=[500] * 10)
    try:
        with FakePaystackServer(webhook_url=receiver.url, webhook_retry_delays=(0.02, 0.02)) as fake:
            async with PaystackClient(fake.secret_key, fake.base_url) as paystack:
                reference = f"bk-{uuid.uuid4()}"
                await paystack.initialize_transaction(
                    email="client@example.com", amount=1_000, currency="NGN", reference=reference
                )
                await fake.pay(reference)
                [record] = await fake.wait_for_webhooks(1, lambda w: w["state"] == "failed")
        assert record["attempts"] == ["500", "500", "500"]
        assert len(receiver.received()) == 3
    finally:
        receiver.close()


async def test_the_fake_times_its_answers_by_reference_and_the_receivers_answers(
    receiver: PaystackWebhookReceiver,
) -> None:
    """What bench/load.py subtracts from a write's latency (the fake's own time) and reads as the app's
    webhook handling time: each API request's reference and duration, each delivery attempt's duration."""
    with FakePaystackServer(webhook_url=receiver.url, webhook_retry_delays=(0.02, 0.05, 0.1)) as fake:
        async with PaystackClient(fake.secret_key, fake.base_url) as paystack:
            reference = f"bk-{uuid.uuid4()}"
            await paystack.initialize_transaction(
                email="client@example.com", amount=5_000, currency="NGN", reference=reference
            )
            await fake.delay_next(0.05, path_prefix="/transaction/verify")
            await paystack.verify_transaction(reference)
            await fake.pay(reference)
            [record] = await fake.wait_for_webhooks(1, lambda w: w["state"] == "delivered")
            initialize, verify = (
                await fake.requests("/transaction/initialize"),
                await fake.requests(f"/transaction/verify/{reference}"),
            )

    assert [(r["reference"], r["status"]) for r in initialize] == [(reference, 200)]
    assert 0 < initialize[0]["elapsed_ms"] < 5_000
    assert [(r["reference"], r["injected"]) for r in verify] == [(reference, True)]
    assert verify[0]["elapsed_ms"] >= 50, "an injected delay is the fake's own time"
    assert record["attempts"] == ["500", "503", "200"]
    assert len(record["attempt_ms"]) == 3
    assert all(ms > 0 for ms in record["attempt_ms"])
