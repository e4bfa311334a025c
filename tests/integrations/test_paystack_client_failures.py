"""How our PaystackClient behaves when Paystack (the fake) fails: what is retried and what never is."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from procus.domain.errors import ServiceUnavailable
from procus.integrations.paystack import PaystackClient
from procus.integrations.paystack.signatures import paystack_signature
from tests.support.fake_paystack import FakePaystackServer, closed_port, new_reference, paid_transaction


async def test_wrong_secret_key_is_reported_as_provider_misconfiguration(fake_paystack: FakePaystackServer) -> None:
    async with PaystackClient("sk_test_wrong", fake_paystack.base_url) as paystack:
        with pytest.raises(ServiceUnavailable) as caught:
            await paystack.list_banks("NGN")
    assert caught.value.code == "payment_provider_auth_failed"


async def test_lookup_is_retried_through_5xx(paystack: PaystackClient, fake_paystack: FakePaystackServer) -> None:
    reference = await paid_transaction(paystack, fake_paystack)
    path = f"/transaction/verify/{reference}"
    await fake_paystack.fail_next(2, status=502, method="GET", path_prefix=path)

    assert (await paystack.verify_transaction(reference)).succeeded
    assert [r["status"] for r in await fake_paystack.requests(path)] == [502, 502, 200]


async def test_lookup_gives_up_after_bounded_attempts(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    reference = await paid_transaction(paystack, fake_paystack)
    path = f"/transaction/verify/{reference}"
    await fake_paystack.fail_next(10, status=500, method="GET", path_prefix=path)

    with pytest.raises(ServiceUnavailable) as caught:
        await paystack.verify_transaction(reference)
    assert caught.value.code == "payment_provider_unavailable"
    assert len(await fake_paystack.requests(path)) == 3


async def test_refund_creation_is_not_retried_after_5xx(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    reference = await paid_transaction(paystack, fake_paystack)
    before = len(await fake_paystack.requests("/refund", "POST"))
    await fake_paystack.fail_next(1, status=500, method="POST", path_prefix="/refund")

    with pytest.raises(ServiceUnavailable) as caught:
        await paystack.create_refund(transaction_reference=reference, amount=10_000, currency="NGN")
    assert caught.value.code == "payment_provider_outcome_unknown"
    assert len(await fake_paystack.requests("/refund", "POST")) - before == 1
    assert (await fake_paystack.transaction(reference))["refunds"] == []


async def test_refund_whose_answer_is_lost_is_created_once(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    """Why refunds are never repeated: Paystack may have queued it even though we saw a 5xx."""
    reference = await paid_transaction(paystack, fake_paystack)
    await fake_paystack.fail_next(1, status=504, method="POST", path_prefix="/refund", after=True)

    with pytest.raises(ServiceUnavailable) as caught:
        await paystack.create_refund(transaction_reference=reference, amount=4_000, currency="NGN")
    assert caught.value.code == "payment_provider_outcome_unknown"
    state = await fake_paystack.transaction(reference)
    assert [refund["amount"] for refund in state["refunds"]] == [4_000]


async def test_rate_limited_refund_is_retried(paystack: PaystackClient, fake_paystack: FakePaystackServer) -> None:
    reference = await paid_transaction(paystack, fake_paystack)
    before = len(await fake_paystack.requests("/refund", "POST"))
    await fake_paystack.fail_next(1, status=429, method="POST", path_prefix="/refund")

    refund = await paystack.create_refund(transaction_reference=reference, amount=10_000, currency="NGN")
    assert refund.status == "pending"
    assert len(await fake_paystack.requests("/refund", "POST")) - before == 2
    assert len((await fake_paystack.transaction(reference))["refunds"]) == 1


async def test_transfer_whose_answer_is_lost_is_retried_into_one_transfer(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    expert = await paystack.create_transfer_recipient(
        name="Ada Expert", account_number="0000000000", bank_code="057", currency="NGN"
    )
    reference = str(uuid.uuid4())
    before = len(await fake_paystack.requests("/transfer", "POST"))
    await fake_paystack.fail_next(1, status=500, method="POST", path_prefix="/transfer", after=True)

    transfer = await paystack.initiate_transfer(
        amount=7_000, currency="NGN", recipient_code=expert.recipient_code, reference=reference
    )
    assert len(await fake_paystack.requests("/transfer", "POST")) - before == 2
    assert transfer == await paystack.verify_transfer(reference)
    assert transfer.amount == 7_000


async def test_initialize_is_retried_through_5xx(paystack: PaystackClient, fake_paystack: FakePaystackServer) -> None:
    reference = new_reference()
    await fake_paystack.fail_next(1, status=503, method="POST", path_prefix="/transaction/initialize")
    checkout = await paystack.initialize_transaction(
        email="client@example.com", amount=1_000, currency="NGN", reference=reference
    )
    assert checkout.reference == reference


async def test_initialize_whose_answer_is_lost_asks_for_a_new_reference(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    """The retry meets our own lost attempt's reference: unavailable, not a caller's duplicate."""
    reference = new_reference()
    await fake_paystack.fail_next(1, status=500, method="POST", path_prefix="/transaction/initialize", after=True)
    with pytest.raises(ServiceUnavailable) as caught:
        await paystack.initialize_transaction(
            email="client@example.com", amount=1_000, currency="NGN", reference=reference
        )
    assert caught.value.code == "payment_provider_unavailable"
    assert "new reference" in caught.value.detail


async def test_unreachable_provider_is_unavailable() -> None:
    async with PaystackClient(
        "sk_test_x", f"http://127.0.0.1:{closed_port()}", backoff_base=0.01, backoff_max=0.02
    ) as paystack:
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable) as caught:
            await paystack.verify_transaction("anything")
        assert caught.value.code == "payment_provider_unavailable"
        with pytest.raises(ServiceUnavailable) as refund:
            await paystack.create_refund(transaction_reference="anything", amount=1, currency="NGN")
        assert refund.value.code == "payment_provider_unavailable", "never connected, so nothing happened"
    assert time.monotonic() - started < 5


async def test_read_timeout_on_refund_is_outcome_unknown(fake_paystack: FakePaystackServer) -> None:
    async with PaystackClient(
        fake_paystack.secret_key,
        fake_paystack.base_url,
        timeout=httpx.Timeout(5.0, read=0.2),
        backoff_base=0.01,
        backoff_max=0.02,
    ) as paystack:
        reference = await paid_transaction(paystack, fake_paystack)
        await fake_paystack.delay_next(0.6, method="POST", path_prefix="/refund")
        with pytest.raises(ServiceUnavailable) as caught:
            await paystack.create_refund(transaction_reference=reference, amount=1_000, currency="NGN")
    assert caught.value.code == "payment_provider_outcome_unknown"
    await asyncio.sleep(0.6)
    state = await fake_paystack.transaction(reference)
    assert [refund["amount"] for refund in state["refunds"]] == [1_000], "it took effect after we gave up"


async def test_client_verifies_webhook_signatures_with_its_secret(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    body = b'{"event":"charge.success","data":{"reference":"bk-1"}}'
    secret = fake_paystack.secret_key
    assert paystack.verify_webhook_signature(body, paystack_signature(secret, body))
    assert not paystack.verify_webhook_signature(body, paystack_signature("sk_test_other", body))
    assert not paystack.verify_webhook_signature(body, None)
