"""Refunds: decided with the booking's change, sent by a job, settled by refund.* webhooks in any order."""

from __future__ import annotations

import uuid

import pytest

from procus.domain.errors import Conflict
from procus_devstack.fake_paystack import REFUND_FAIL_CARD
from tests.payments.conftest import Booked, Payments
from tests.support.bookings import http_user
from tests.support.payments import ledger_lines
from tests.support.trust import the_audit_row


async def _refund_jobs(payments: Payments) -> list[str]:
    async with payments.db.connection() as conn:
        rows = await conn.fetch("SELECT payload FROM pgqueuer WHERE entrypoint = 'payments.execute_refund' ORDER BY id")
    return [bytes(row["payload"]).decode() for row in rows]


async def _cancelled(payments: Payments, booked: Booked) -> uuid.UUID:
    response = await payments.cancel(booked)
    assert response.status_code == 200, response.text
    [refund] = await payments.refunds(booked.booking_id)
    refund_id: uuid.UUID = refund["id"]
    return refund_id


async def test_a_cancelled_booking_is_refunded_in_full_through_paystack(payments: Payments) -> None:
    booked = await payments.paid_booking()
    refund_id = await _cancelled(payments, booked)

    payment = await payments.payment(booked.booking_id)
    assert (payment["status"], payment["refunded_amount"]) == ("refunded", 50_00)
    assert any(str(refund_id) in job for job in await _refund_jobs(payments))
    assert await payments.services.refunds.execute(refund_id) == "submitted"
    assert await payments.services.refunds.execute(refund_id) == "submitted", "a second run sends nothing"
    at_paystack = await payments.relay.fake.transaction(booked.reference)
    assert [(r["amount"], r["status"]) for r in at_paystack["refunds"]] == [(50_00, "pending")]

    processed = await payments.relay.settle_refund(booked.reference)
    assert (await payments.deliver(processed))["status"] == "refund_processed"
    assert (await payments.deliver(processed))["status"] == "duplicate"

    [refund] = await payments.refunds(booked.booking_id)
    assert refund["status"] == "processed"
    assert refund["processed_at"] is not None
    assert await ledger_lines(payments.db, payment_id=payment["id"]) == [
        ("hold", "client_payments", -50_00),
        ("hold", "escrow_held", 50_00),
        ("refund", "escrow_held", -50_00),
        ("refund", "refunds_pending", 50_00),
        ("refund_paid", "refunds_pending", -50_00),
        ("refund_paid", "client_payments", 50_00),
    ]
    assert "payment.refunded" in await payments.notifications(booked.client_id)
    await payments.verify_ledger()


async def test_refund_processed_before_we_know_the_refund_was_made(payments: Payments) -> None:
    """The refund request reached Paystack but its answer was lost: the refund stays 'submitting' and
    is never sent again; Paystack's webhooks name it, even arriving before 'pending' and out of order."""
    booked = await payments.paid_booking()
    refund_id = await _cancelled(payments, booked)
    await payments.relay.fake.fail_next(status=502, method="POST", path_prefix="/refund", after=True)

    assert await payments.services.refunds.execute(refund_id) == "submitting"
    [refund] = await payments.refunds(booked.booking_id)
    assert (refund["provider_refund_id"], refund["last_error"].split(":")[0]) == (
        None,
        "payment_provider_outcome_unknown",
    )
    assert await payments.services.refunds.retry_due(payments.clock.advance(hours=2)) == 0
    assert await payments.services.refunds.execute(refund_id) == "submitting"
    assert len((await payments.relay.fake.transaction(booked.reference))["refunds"]) == 1, "never sent twice"

    pending = (await payments.relay.wait_for("refund.pending", booked.reference))[0]
    processed = await payments.relay.settle_refund(booked.reference)
    assert (await payments.deliver(processed))["status"] == "refund_processed"
    assert (await payments.deliver(pending))["status"] == "ignored"

    [refund] = await payments.refunds(booked.booking_id)
    assert (refund["status"], refund["provider_refund_id"]) == ("processed", processed.data["id"])
    await payments.verify_ledger()


async def test_a_refund_paystack_never_received_is_sent_again_later(payments: Payments) -> None:
    booked = await payments.paid_booking()
    refund_id = await _cancelled(payments, booked)
    await payments.relay.fake.fail_next(3, status=429, method="POST", path_prefix="/refund")

    assert await payments.services.refunds.execute(refund_id) == "queued"
    [refund] = await payments.refunds(booked.booking_id)
    assert refund["next_attempt_at"] > payments.clock.now()
    assert (await payments.relay.fake.transaction(booked.reference))["refunds"] == []

    assert await payments.services.refunds.execute(refund_id) == "submitted"
    await payments.verify_ledger()


async def _make_admin(payments: Payments) -> dict[str, str]:
    admin_id, headers = await http_user(payments.client, payments.db, full_name="Ada Admin")
    async with payments.db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1", admin_id)
    return headers


async def test_a_failed_refund_is_shown_to_admins_and_retried(payments: Payments) -> None:
    booked = await payments.book()
    assert (await payments.deliver(await payments.relay.pay(booked.reference, REFUND_FAIL_CARD)))["status"] == "held"
    refund_id = await _cancelled(payments, booked)
    await payments.services.refunds.execute(refund_id)
    failed = await payments.relay.settle_refund(booked.reference, "fail")
    assert (await payments.deliver(failed))["status"] == "refund_failed"

    admin = await _make_admin(payments)
    listed = await payments.client.get("/v1/admin/refunds", headers=admin)
    assert listed.status_code == 200
    [shown] = [r for r in listed.json() if r["id"] == str(refund_id)]
    assert (shown["status"], shown["amount"], shown["attempts"]) == ("failed", 50_00, 1)
    assert (await payments.client.get("/v1/admin/refunds", headers=booked.client_headers)).status_code == 403
    [refund] = await payments.refunds(booked.booking_id)
    assert await payments.services.refunds.retry_due(payments.clock.now()) == 0, "not before its time"
    assert await payments.services.refunds.retry_due(refund["next_attempt_at"]) == 1

    assert await payments.services.refunds.execute(refund_id) == "submitted"
    assert (await payments.deliver(failed))["status"] == "duplicate"
    second = await payments.relay.settle_refund(booked.reference, "process")
    assert second.data["id"] != failed.data["id"]
    assert (await payments.deliver(second))["status"] == "refund_processed"
    [refund] = await payments.refunds(booked.booking_id)
    assert (refund["status"], refund["attempts"], refund["failed_provider_ids"]) == (
        "processed",
        2,
        [failed.data["id"]],
    )
    await payments.verify_ledger()


async def test_a_refund_paystack_refuses_fails_and_an_admin_can_requeue_it(payments: Payments) -> None:
    booked = await payments.paid_booking()
    await payments.services.integrations.payments.create_refund(
        transaction_reference=booked.reference, amount=50_00, currency="NGN"
    )
    refund_id = await _cancelled(payments, booked)

    assert await payments.services.refunds.execute(refund_id) == "failed"
    [refund] = await payments.refunds(booked.booking_id)
    assert refund["last_error"].startswith("payment_rejected")

    admin = await _make_admin(payments)
    requeued = await payments.client.post(f"/v1/admin/refunds/{refund_id}/requeue", headers=admin)
    assert requeued.status_code == 200
    assert requeued.json()["status"] == "queued"
    await payments.verify_ledger()
    entry = await the_audit_row(payments.db, refund_id, "refund.requeue")
    assert (entry["before"]["status"], entry["after"]["status"]) == ("failed", "queued")
    assert entry["after"]["confirmed_not_refunded"] is False


async def test_an_admin_requeues_an_unknown_outcome_only_after_checking(payments: Payments) -> None:
    booked = await payments.paid_booking()
    refund_id = await _cancelled(payments, booked)
    await payments.relay.fake.fail_next(status=500, method="POST", path_prefix="/refund")
    assert await payments.services.refunds.execute(refund_id) == "submitting"
    admin = await _make_admin(payments)

    refused = await payments.client.post(f"/v1/admin/refunds/{refund_id}/requeue", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["code"] == "refund_outcome_unknown"
    confirmed = await payments.client.post(
        f"/v1/admin/refunds/{refund_id}/requeue", json={"confirmed_not_refunded": True}, headers=admin
    )
    assert confirmed.json()["status"] == "queued"
    assert await payments.services.refunds.execute(refund_id) == "submitted"


async def test_a_partial_refund_releases_the_rest_to_the_expert_less_the_fee(payments: Payments) -> None:
    booked = await payments.paid_booking(price=99_99)
    await payments.refund(booked.booking_id, 5_000, "late cancel")

    payment = await payments.payment(booked.booking_id)
    refund, expert, fee = 49_99, 45_00, 5_00
    assert (payment["status"], payment["refunded_amount"], payment["expert_amount"], payment["fee_amount"]) == (
        "partially_refunded",
        refund,
        expert,
        fee,
    )
    assert refund + expert + fee == 99_99
    lines = await ledger_lines(payments.db, payment_id=payment["id"])
    assert ("refund", "expert_available", expert) in lines
    assert ("refund", "platform_fees", fee) in lines
    balance = await payments.client.get("/v1/payouts/balance", headers=booked.expert_headers)
    assert balance.json()[0]["available"] == expert
    await payments.refund(booked.booking_id, 10_000, "again")
    assert len(await payments.refunds(booked.booking_id)) == 1, "settled money never moves twice"
    await payments.verify_ledger()


async def test_a_refund_after_release_is_refused(payments: Payments) -> None:
    booked = await payments.paid_booking()
    await payments.release(booked.booking_id)
    await payments.release(booked.booking_id)

    response = await payments.cancel(booked, by="expert")

    assert response.status_code == 409
    assert response.json()["code"] == "refund_after_release"
    with pytest.raises(Conflict):
        await payments.refund(booked.booking_id, 10_000, "no")
    payment = await payments.payment(booked.booking_id)
    assert (payment["status"], payment["expert_amount"], payment["fee_amount"], payment["fee_bps"]) == (
        "released",
        45_00,
        5_00,
        1000,
    )
    assert await payments.refunds(booked.booking_id) == []
    await payments.verify_ledger()


async def test_the_payer_reads_refund_pending_until_paystack_confirms_the_refund(payments: Payments) -> None:
    booked = await payments.paid_booking()
    refund_id = await _cancelled(payments, booked)

    async def reading() -> tuple[str, int]:
        response = await payments.client.get(f"/v1/payments/{booked.reference}/verify", headers=booked.client_headers)
        assert response.status_code == 200, response.text
        return response.json()["status"], response.json()["refunded_amount"]

    assert await reading() == ("refund_pending", 50_00)
    assert await payments.services.refunds.execute(refund_id) == "submitted"
    assert await reading() == ("refund_pending", 50_00), "sent to Paystack is not yet back with the payer"
    processed = await payments.relay.settle_refund(booked.reference)
    assert (await payments.deliver(processed))["status"] == "refund_processed"
    assert await reading() == ("refunded", 50_00)
