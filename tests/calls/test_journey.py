"""One consultation from sign-up to payout, driven only through the API, the fake Paystack and the
worker, as the SPA, the payer and ``procus worker`` would drive it.

An expert signs up, confirms their email, builds a profile, an area and weekly hours, and is
approved; a client signs up, finds the expert in the listing, picks a slot, books it (twice, with
the same Idempotency-Key) and pays at the fake Paystack, whose signed webhook reaches the app; the
expert accepts; both join (LiveKit's signed webhooks), the client ends the call; the expert's 90%
becomes available, and they withdraw it to a bank account through a Paystack transfer. Queued jobs
(emails, the transfer) run through the real worker. Every earlier step is covered in depth
elsewhere; this test proves the steps fit together.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from procus.bootstrap import Container
from procus.jobs import all_entrypoints
from procus.services.notices.emails import SEND_EMAIL_JOB
from procus.services.payments.payouts import SUBMIT_PAYOUT_JOB
from tests.calls.conftest import Calls, Client
from tests.jobs.conftest import drain
from tests.support.accounts import bearer, register
from tests.support.calls import ReadyCall
from tests.support.fakes import RecordingMailSender

PRICE = 20_000_00
HOURS = {
    "time_zone": "Africa/Lagos",
    "rules": [{"weekday": day, "start": "09:00", "end": "17:00"} for day in range(5)],
    "overrides": [],
    "settings": {"min_notice_minutes": 120},
}
ACCOUNT = {"bank_code": "057", "account_number": "2026112201", "name": "Chioma Eze", "currency": "NGN"}
_VERIFY_LINK = re.compile(r"https?://\S*verify-email\S*token=([\w-]+)")


async def _run_jobs(worker: Container) -> None:
    """What ``procus worker`` would have done by now: send the emails, submit the transfers. (Jobs
    due later, such as reminders, wait: the worker's queue runs on the database's real clock.)"""
    due = [spec for spec in all_entrypoints() if spec.name in (SEND_EMAIL_JOB, SUBMIT_PAYOUT_JOB)]
    await drain(worker, due)


def _mailbox(worker: Container) -> RecordingMailSender:
    mail = worker.integrations.mail
    assert isinstance(mail, RecordingMailSender)
    return mail


async def _signed_up(client: Client, worker: Container, **details: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Register, let the worker send the verification email, follow its link: (tokens, headers)."""
    tokens = await register(client, **details)
    await _run_jobs(worker)
    [message] = [m for m in _mailbox(worker).sent if m.to == [tokens["user"]["email"]]]
    [token] = _VERIFY_LINK.findall(message.text)
    verified = await client.post("/v1/auth/verify-email", json={"token": token})
    assert verified.status_code == 204, verified.text
    return tokens, bearer(tokens)


async def _notification_kinds(client: Client, headers: dict[str, str]) -> set[str]:
    response = await client.get("/v1/notifications", headers=headers)
    assert response.status_code == 200, response.text
    return {item["kind"] for item in response.json()["items"]}


async def test_from_sign_up_to_payout(calls: Calls) -> None:
    client, worker = calls.client, calls.worker

    expert_tokens, expert = await _signed_up(
        client, worker, role="expert", full_name="Chioma Eze", time_zone="Africa/Lagos"
    )
    expert_id = expert_tokens["user"]["id"]
    profile = await client.patch(
        "/v1/experts/me/profile",
        json={"headline": "Tax adviser for freelancers", "bio": "Ten years of returns.", "published": True},
        headers=expert,
    )
    assert profile.status_code == 200, profile.text
    area = await client.post(
        "/v1/experts/me/areas",
        json={"title": "Tax return review", "category": "finance", "price": {"amount": PRICE, "currency": "NGN"},
              "duration_minutes": 60},
        headers=expert,
    )  # fmt: skip
    assert area.status_code == 201, area.text
    area_id = area.json()["id"]
    assert (await client.put("/v1/experts/me/availability", json=HOURS, headers=expert)).status_code == 200

    admin_tokens = await register(client, full_name="Platform Admin")
    async with calls.db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1", uuid.UUID(admin_tokens["user"]["id"]))
    approved = await client.post(
        f"/v1/admin/experts/{expert_id}/approval", json={"status": "approved"}, headers=bearer(admin_tokens)
    )
    assert approved.json()["listed"] is True, approved.text

    client_tokens, customer = await _signed_up(client, worker, full_name="Tunde Bello", time_zone="Europe/London")
    listing = (await client.get("/v1/experts", params={"q": "tax freelancers"})).json()
    [card] = [item for item in listing["items"] if item["id"] == expert_id]
    assert card["from_price"] == {"amount": PRICE, "currency": "NGN"}
    now = calls.clock.now()
    window = {"area_id": area_id, "from": (now + dt.timedelta(days=2)).isoformat(), "tz": "Europe/London"}
    window["to"] = (now + dt.timedelta(days=9)).isoformat()
    slots = (await client.get(f"/v1/experts/{expert_id}/slots", params=window)).json()
    start = dt.datetime.fromisoformat(slots["slots"][0])

    booking_request = {"expert_id": expert_id, "area_id": area_id, "start": start.isoformat(), "note": "My 2026 return"}
    once = {**customer, "Idempotency-Key": str(uuid.uuid4())}
    created = await client.post("/v1/bookings", json=booking_request, headers=once)
    assert created.status_code == 201, created.text
    replayed = await client.post("/v1/bookings", json=booking_request, headers=once)
    assert replayed.json() == created.json()
    booking_id = created.json()["booking"]["id"]
    checkout = created.json()["checkout"]

    paid = await calls.relay.post(client, await calls.relay.pay(checkout["reference"]))
    assert paid.json() == {"status": "held"}, paid.text
    await _run_jobs(worker)
    assert "booking.requested" in await _notification_kinds(client, expert)
    accepted = await client.post(f"/v1/bookings/{booking_id}/accept", headers=expert)
    assert accepted.json()["status"] == "confirmed", accepted.text
    invite = await client.get(f"/v1/bookings/{booking_id}/invite.ics", headers=customer)
    assert "METHOD:REQUEST" in invite.text
    await _run_jobs(worker)
    invited = {
        address
        for message in _mailbox(worker).sent
        if any(attachment.is_calendar for attachment in message.attachments)
        for address in message.to
    }
    assert {client_tokens["user"]["email"], expert_tokens["user"]["email"]} <= invited

    call = ReadyCall(
        booking_id=uuid.UUID(booking_id),
        room=f"booking-{booking_id}",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=60),
        client_id=uuid.UUID(client_tokens["user"]["id"]),
        expert_id=uuid.UUID(expert_id),
        client_headers=customer,
        expert_headers=expert,
    )
    calls.at(start - dt.timedelta(minutes=5))
    for headers in (customer, expert):
        token = await calls.token(call, headers)
        assert token.json()["room"] == call.room, token.text
    await calls.arrive(call, call.client_id, -3)
    await calls.arrive(call, call.expert_id, -1)
    calls.at(start + dt.timedelta(minutes=50))
    ended = await client.post(f"/v1/calls/{booking_id}/end", headers=customer)
    assert (ended.json()["status"], ended.json()["booking_status"]) == ("completed", "completed"), ended.text

    [balance] = (await client.get("/v1/payouts/balance", headers=expert)).json()
    assert (balance["currency"], balance["available"]) == ("NGN", PRICE * 9 // 10)
    assert (await client.put("/v1/payouts/accounts", json=ACCOUNT, headers=expert)).status_code == 200
    payout = await client.post("/v1/payouts", json={"amount": balance["available"]}, headers=expert)
    assert payout.status_code == 201, payout.text
    await _run_jobs(worker)
    transfer = await calls.relay.settle_transfer(payout.json()["reference"], "succeed")
    assert (await calls.relay.post(client, transfer)).status_code == 200

    [balance] = (await client.get("/v1/payouts/balance", headers=expert)).json()
    assert (balance["available"], balance["paid_out"]) == (0, PRICE * 9 // 10)
    assert await worker.ledger.verify() == []
    assert {"payment.succeeded", "booking.confirmed"} <= await _notification_kinds(client, customer)
