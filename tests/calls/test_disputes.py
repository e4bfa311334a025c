"""The dispute window: a finished call's money waits for it (an expert ending after 12 s is not paid at
once), a dispute freezes the release, each admin resolution balances the ledger, a client's
confirmation pays early. Real ending path, real escrow on the fake Paystack."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from procus.config import Settings
from tests.calls.conftest import Calls
from tests.support.calls import ReadyCall
from tests.support.trust import http_admin, the_audit_row

SECOND = dt.timedelta(seconds=1)
WINDOW = dt.timedelta(hours=24)


@pytest.fixture(scope="session")
def call_settings(settings_factory: Any) -> Settings:
    """The default dispute window of 24 hours after the scheduled end."""
    settings: Settings = settings_factory(access_token_ttl_seconds=7 * 24 * 3600, dispute_window_seconds=86400)
    return settings


async def _ended_after_12_seconds(calls: Calls) -> ReadyCall:
    call = await calls.ready()
    await calls.meet(call)
    calls.at(call.starts_at + 12 * SECOND)
    ended = await calls.client.post(f"/v1/calls/{call.booking_id}/end", headers=call.expert_headers)
    assert ended.status_code == 200, ended.text
    assert ended.json()["booking_status"] == "completed"
    return call


async def test_an_expert_who_ends_after_12_seconds_is_paid_only_when_the_window_closes(calls: Calls) -> None:
    call = await _ended_after_12_seconds(calls)
    assert await calls.payment_status(call) == "held"
    _, admin = await http_admin(calls.client, calls.db)
    timeline = (await calls.client.get(f"/v1/admin/bookings/{call.booking_id}/timeline", headers=admin)).json()
    assert timeline["ended_early"] is True

    assert await calls.worker.disputes.release_due(call.ends_at + WINDOW - SECOND) == 0
    assert await calls.payment_status(call) == "held"
    assert await calls.worker.disputes.release_due(call.ends_at + WINDOW) == 1
    assert await calls.payment_status(call) == "released"
    assert await calls.worker.ledger.verify() == []
    assert await calls.worker.disputes.release_due(call.ends_at + WINDOW) == 0


@pytest.mark.parametrize(
    ("resolution", "refund_bps", "payment_status", "refunded"),
    [
        ("release", None, "released", 0),
        ("partial_refund", 4000, "partially_refunded", 40),
        ("full_refund", None, "refunded", 100),
    ],
)
async def test_a_dispute_freezes_the_release_until_an_admin_resolves_it(
    calls: Calls, resolution: str, refund_bps: int | None, payment_status: str, refunded: int
) -> None:
    call = await _ended_after_12_seconds(calls)
    admin_id, admin = await http_admin(calls.client, calls.db)
    by_expert = await calls.client.post(
        f"/v1/bookings/{call.booking_id}/dispute", json={"reason": "other", "text": "x"}, headers=call.expert_headers
    )
    assert by_expert.status_code == 403
    opened = await calls.client.post(
        f"/v1/bookings/{call.booking_id}/dispute",
        json={"reason": "ended_early", "text": "The expert left after a few seconds."},
        headers=call.client_headers,
    )
    assert opened.status_code == 201, opened.text
    dispute_id = opened.json()["id"]
    async with calls.db.connection() as conn:
        told = await conn.fetch("SELECT user_id FROM notifications WHERE kind = 'dispute.opened'")
    assert {row["user_id"] for row in told} >= {call.client_id, call.expert_id, admin_id}

    assert await calls.worker.disputes.release_due(call.ends_at + 2 * WINDOW) == 0
    assert await calls.payment_status(call) == "held"
    confirm = await calls.client.post(f"/v1/bookings/{call.booking_id}/confirm-call", headers=call.client_headers)
    assert (confirm.status_code, confirm.json()["code"]) == (409, "dispute_open")

    case = await calls.client.get(f"/v1/admin/disputes/{dispute_id}", headers=admin)
    assert case.status_code == 200, case.text
    evidence = case.json()
    assert evidence["ended_early"] is True
    assert {a["user_id"] for a in evidence["attendance"]} == {str(call.client_id), str(call.expert_id)}
    assert [d["id"] for d in (await calls.client.get("/v1/admin/disputes", headers=admin)).json()] == [dispute_id]

    body: dict[str, Any] = {"resolution": resolution, "reason": "Judged from the attendance record"}
    if refund_bps is not None:
        body["refund_bps"] = refund_bps
    resolved = await calls.client.post(f"/v1/admin/disputes/{dispute_id}/resolve", json=body, headers=admin)
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"
    assert await calls.payment_status(call) == payment_status
    async with calls.db.connection() as conn:
        price = await conn.fetchval("SELECT amount FROM payments WHERE booking_id = $1", call.booking_id)
    assert sum(await calls.refunds(call)) == price * refunded // 100
    assert await calls.worker.ledger.verify() == []
    entry = await the_audit_row(calls.db, dispute_id, "dispute.resolve")
    assert (entry["before"]["status"], entry["after"]["resolution"]) == ("open", resolution)
    again = await calls.client.post(f"/v1/admin/disputes/{dispute_id}/resolve", json=body, headers=admin)
    assert (again.status_code, again.json()["code"]) == (409, "dispute_resolved")


async def test_disputes_only_within_the_window_and_a_confirmation_pays_at_once(calls: Calls) -> None:
    call = await _ended_after_12_seconds(calls)
    calls.at(call.ends_at + WINDOW)
    late = await calls.client.post(
        f"/v1/bookings/{call.booking_id}/dispute",
        json={"reason": "other", "text": "Too late"},
        headers=call.client_headers,
    )
    assert (late.status_code, late.json()["code"]) == (409, "dispute_window_closed")

    other = await _ended_after_12_seconds(calls)
    confirmed = await calls.client.post(f"/v1/bookings/{other.booking_id}/confirm-call", headers=other.client_headers)
    assert confirmed.status_code == 204, confirmed.text
    assert await calls.payment_status(other) == "released"
    assert await calls.worker.ledger.verify() == []
