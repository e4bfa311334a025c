"""Our PaystackClient against the fake Paystack on loopback: banks, recipients and payouts."""

from __future__ import annotations

import uuid

import pytest

from procus.domain.errors import Conflict, InvalidInput, NotFound
from procus.integrations.paystack import PaystackClient
from procus_devstack.fake_paystack import REFUND_FAIL_CARD
from tests.support.fake_paystack import FakePaystackServer, expert_recipient, paid_transaction


async def test_banks_are_listed_across_pages(paystack: PaystackClient, fake_paystack: FakePaystackServer) -> None:
    before = len(await fake_paystack.requests("/bank"))
    banks = await paystack.list_banks("NGN")
    assert len(await fake_paystack.requests("/bank")) - before > 1, "the fake pages by 3, so the client must follow"
    codes = [bank.code for bank in banks]
    assert len(codes) == len(set(codes)) == 8
    assert {"057", "058", "044"} <= set(codes)
    assert {bank.currency for bank in banks} == {"NGN"}
    assert await paystack.list_banks("USD") == []


async def test_payout_to_a_recipient_then_verified(paystack: PaystackClient, fake_paystack: FakePaystackServer) -> None:
    expert = await expert_recipient(paystack)
    assert expert.recipient_code.startswith("RCP_")
    assert (expert.bank_code, expert.account_last4, expert.name, expert.currency) == (
        "057",
        "0000",
        "Ada Expert",
        "NGN",
    )
    assert (await expert_recipient(paystack)).recipient_code == expert.recipient_code

    reference = str(uuid.uuid4())
    transfer = await paystack.initiate_transfer(
        amount=9_000, currency="NGN", recipient_code=expert.recipient_code, reference=reference, reason="Payout"
    )
    assert (transfer.reference, transfer.status, transfer.amount, transfer.currency) == (
        reference,
        "pending",
        9_000,
        "NGN",
    )
    assert transfer.transfer_code.startswith("TRF_")

    await fake_paystack.settle_transfer(reference, "succeed")
    settled = await paystack.verify_transfer(reference)
    assert (settled.status, settled.transfer_code) == ("success", transfer.transfer_code)
    [event] = [
        w for w in await fake_paystack.webhooks("transfer.success") if w["payload"]["data"]["reference"] == reference
    ]
    assert event["payload"]["data"]["recipient"]["recipient_code"] == expert.recipient_code


async def test_transfer_reference_reuse_is_idempotent(paystack: PaystackClient) -> None:
    expert = await expert_recipient(paystack)
    reference = str(uuid.uuid4())
    first = await paystack.initiate_transfer(
        amount=5_000, currency="NGN", recipient_code=expert.recipient_code, reference=reference
    )
    again = await paystack.initiate_transfer(
        amount=5_000, currency="NGN", recipient_code=expert.recipient_code, reference=reference
    )
    assert again == first
    with pytest.raises(Conflict) as caught:
        await paystack.initiate_transfer(
            amount=5_001, currency="NGN", recipient_code=expert.recipient_code, reference=reference
        )
    assert caught.value.code == "duplicate_reference"


async def test_transfer_to_unknown_recipient_is_refused(paystack: PaystackClient) -> None:
    with pytest.raises(InvalidInput) as caught:
        await paystack.initiate_transfer(
            amount=5_000, currency="NGN", recipient_code="RCP_nobody", reference=str(uuid.uuid4())
        )
    assert caught.value.code == "payment_rejected"


async def test_unknown_transfer_is_not_found(paystack: PaystackClient) -> None:
    with pytest.raises(NotFound) as caught:
        await paystack.verify_transfer(str(uuid.uuid4()))
    assert caught.value.code == "transfer_not_found"


async def test_reversed_and_failed_transfers_are_reported(
    paystack: PaystackClient, fake_paystack: FakePaystackServer
) -> None:
    expert = await expert_recipient(paystack)
    failing, reversing = str(uuid.uuid4()), str(uuid.uuid4())
    for reference in (failing, reversing):
        await paystack.initiate_transfer(
            amount=2_000, currency="NGN", recipient_code=expert.recipient_code, reference=reference
        )
    await fake_paystack.settle_transfer(failing, "fail")
    await fake_paystack.settle_transfer(reversing, "succeed")
    await fake_paystack.settle_transfer(reversing, "reverse")
    assert (await paystack.verify_transfer(failing)).status == "failed"
    assert (await paystack.verify_transfer(reversing)).status == "reversed"
    events = {(w["event"], w["payload"]["data"].get("reference")) for w in await fake_paystack.webhooks()}
    assert {("transfer.failed", failing), ("transfer.success", reversing), ("transfer.reversed", reversing)} <= events


async def test_auto_settlement_follows_the_test_cards() -> None:
    """In development the fake settles on its own; the refund-fail test card makes refunds fail."""
    with FakePaystackServer(settle_seconds=0.05) as fake:
        async with PaystackClient(fake.secret_key, fake.base_url) as paystack:
            good = await paid_transaction(paystack, fake)
            bad = await paid_transaction(paystack, fake, card=REFUND_FAIL_CARD)
            refunded = await paystack.create_refund(transaction_reference=good, amount=10_000, currency="NGN")
            failing = await paystack.create_refund(transaction_reference=bad, amount=10_000, currency="NGN")
            expert = await expert_recipient(paystack)
            payout = await paystack.initiate_transfer(
                amount=1_000, currency="NGN", recipient_code=expert.recipient_code, reference=str(uuid.uuid4())
            )
            await fake.wait_for_webhooks(
                3, lambda w: w["event"] in {"refund.processed", "refund.failed", "transfer.success"}
            )
            assert (await paystack.fetch_refund(refunded.id)).status == "processed"
            assert (await paystack.fetch_refund(failing.id)).status == "failed"
            assert (await paystack.verify_transfer(payout.reference)).status == "success"
