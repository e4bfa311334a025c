"""Our PaystackClient against the fake Paystack on loopback: collecting payments and refunding them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from procus.domain.errors import Conflict, InvalidInput, NotFound
from procus.integrations.paystack import PaystackClient
from tests.support.fake_paystack import FakePaystackServer, new_reference, paid_transaction


async def test_paid_checkout_verifies_with_amount_currency_and_time(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    reference = new_reference()
    checkout = await paystack.initialize_transaction(
        email="client@example.com",
        amount=25_000,
        currency="NGN",
        reference=reference,
        callback_url="http://127.0.0.1:8000/bookings/b1/paid",
        metadata={"booking_id": "b1"},
    )
    assert checkout.reference == reference
    assert checkout.authorization_url == f"{fake_paystack.base_url}/checkout/{checkout.access_code}"

    unpaid = await paystack.verify_transaction(reference)
    assert (unpaid.status, unpaid.succeeded, unpaid.paid_at) == ("abandoned", False, None)

    await fake_paystack.pay(reference)
    paid = await paystack.verify_transaction(reference)
    assert paid.succeeded
    assert (paid.reference, paid.amount, paid.currency, paid.id) == (reference, 25_000, "NGN", unpaid.id)
    assert paid.paid_at is not None
    assert abs(paid.paid_at - datetime.now(UTC)) < timedelta(minutes=1)

    [event] = [
        w for w in await fake_paystack.webhooks("charge.success") if w["payload"]["data"]["reference"] == reference
    ]
    assert event["payload"]["data"]["amount"] == 25_000
    assert event["payload"]["data"]["metadata"] == {"booking_id": "b1"}


async def test_checkout_page_pay_redirects_to_callback_with_reference(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    reference = new_reference()
    checkout = await paystack.initialize_transaction(
        email="client@example.com",
        amount=500_000,
        currency="NGN",
        reference=reference,
        callback_url="http://127.0.0.1:8000/paid?booking=b2",
    )
    async with httpx.AsyncClient() as browser:
        page = await browser.get(checkout.authorization_url)
        assert page.status_code == 200
        assert "NGN 5,000.00" in page.text
        assert reference in page.text
        paid = await browser.post(f"{checkout.authorization_url}/pay", data={"card": "4084084084084081"})

    assert paid.status_code == 303
    target = urlsplit(paid.headers["location"])
    assert (target.netloc, target.path) == ("127.0.0.1:8000", "/paid")
    assert parse_qs(target.query) == {"booking": ["b2"], "trxref": [reference], "reference": [reference]}
    assert (await paystack.verify_transaction(reference)).succeeded


async def test_declined_checkout_fails_without_charge_event(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    reference = new_reference()
    checkout = await paystack.initialize_transaction(
        email="client@example.com", amount=1_000, currency="NGN", reference=reference, callback_url="http://cb.test/r"
    )
    async with httpx.AsyncClient() as browser:
        declined = await browser.post(f"{checkout.authorization_url}/decline")
    assert declined.status_code == 303
    assert f"reference={reference}" in declined.headers["location"]

    verified = await paystack.verify_transaction(reference)
    assert (verified.status, verified.succeeded, verified.paid_at) == ("failed", False, None)
    charges = await fake_paystack.webhooks("charge.success")
    assert all(w["payload"]["data"]["reference"] != reference for w in charges)


async def test_duplicate_reference_is_a_conflict(paystack: PaystackClient) -> None:
    reference = new_reference()
    await paystack.initialize_transaction(email="a@example.com", amount=1_000, currency="NGN", reference=reference)
    with pytest.raises(Conflict) as caught:
        await paystack.initialize_transaction(email="a@example.com", amount=1_000, currency="NGN", reference=reference)
    assert caught.value.code == "duplicate_reference"


async def test_unknown_reference_is_not_found(paystack: PaystackClient) -> None:
    with pytest.raises(NotFound) as caught:
        await paystack.verify_transaction(new_reference())
    assert caught.value.code == "transaction_not_found"


async def test_provider_refusal_is_invalid_input(paystack: PaystackClient) -> None:
    with pytest.raises(InvalidInput) as caught:
        await paystack.initialize_transaction(email="not-an-email", amount=1_000, currency="NGN", reference="r-1")
    assert caught.value.code == "payment_rejected"
    with pytest.raises(InvalidInput) as local:
        await paystack.initialize_transaction(email="a@example.com", amount=0, currency="NGN", reference="r-2")
    assert local.value.code == "invalid_amount"


async def test_refunds_partial_then_rest_and_never_above_the_charge(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    reference = await paid_transaction(paystack, fake_paystack, amount=10_000)
    verified = await paystack.verify_transaction(reference)

    first = await paystack.create_refund(
        transaction_reference=reference, amount=4_000, currency="NGN", customer_note="Expert declined"
    )
    assert (first.status, first.amount, first.currency) == ("pending", 4_000, "NGN")
    assert (first.transaction_reference, first.transaction_id) == (reference, verified.id)

    with pytest.raises(InvalidInput) as too_much:
        await paystack.create_refund(transaction_reference=reference, amount=6_001, currency="NGN")
    assert too_much.value.code == "payment_rejected"

    rest = await paystack.create_refund(transaction_reference=reference, amount=6_000, currency="NGN")
    assert rest.amount == 6_000
    with pytest.raises(InvalidInput):
        await paystack.create_refund(transaction_reference=reference, amount=1, currency="NGN")

    await fake_paystack.settle_refund(first.id, "process")
    fetched = await paystack.fetch_refund(first.id)
    assert (fetched.id, fetched.status, fetched.amount) == (first.id, "processed", 4_000)
    assert (fetched.transaction_id, fetched.transaction_reference) == (verified.id, None)
    events = [w["payload"] for w in await fake_paystack.webhooks() if w["event"].startswith("refund.")]
    mine = [(e["event"], e["data"]["amount"]) for e in events if e["data"]["transaction_reference"] == reference]
    assert mine == [("refund.pending", 4_000), ("refund.pending", 6_000), ("refund.processed", 4_000)]


async def test_failed_refund_frees_the_amount_again(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    reference = await paid_transaction(paystack, fake_paystack, amount=3_000)
    refund = await paystack.create_refund(transaction_reference=reference, amount=3_000, currency="NGN")
    await fake_paystack.settle_refund(refund.id, "fail")
    assert (await paystack.fetch_refund(refund.id)).status == "failed"

    again = await paystack.create_refund(transaction_reference=reference, amount=3_000, currency="NGN")
    assert again.status == "pending"


async def test_refund_of_an_unpaid_transaction_is_refused(paystack: PaystackClient) -> None:
    reference = new_reference()
    await paystack.initialize_transaction(email="a@example.com", amount=1_000, currency="NGN", reference=reference)
    with pytest.raises(InvalidInput) as caught:
        await paystack.create_refund(transaction_reference=reference, amount=1_000, currency="NGN")
    assert caught.value.code == "payment_rejected"


async def test_unknown_refund_is_not_found(paystack: PaystackClient) -> None:
    with pytest.raises(NotFound) as caught:
        await paystack.fetch_refund(1)
    assert caught.value.code == "refund_not_found"
