"""Blocks over HTTP on the real database and fake Paystack: slots hidden, booking refused, the profile
says so, future bookings cancelled and fully refunded with both told, the ledger still verifies."""

from __future__ import annotations

import datetime as dt
import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.services.payments import LedgerAuditor
from procus.store.db import Database
from tests.support.bookings import http_user, slot_start
from tests.support.calls import book_call
from tests.support.payments import PaystackRelay
from tests.support.trust import http_admin

Client = AsyncTestClient[Litestar]


async def _slots(client: Client, expert_id: uuid.UUID, area_id: str, headers: dict[str, str]) -> list[str]:
    response = await client.get(f"/v1/experts/{expert_id}/slots", params={"area_id": area_id}, headers=headers)
    assert response.status_code == 200, response.text
    slots: list[str] = response.json()["slots"]
    return slots


async def test_a_block_keeps_the_pair_apart_and_cancels_their_future_bookings(
    client: Client, db: Database, paystack_relay: PaystackRelay
) -> None:
    now = dt.datetime.now(dt.UTC)
    call = await book_call(client, db, paystack_relay, now)
    async with db.connection() as conn:
        area_id = str(await conn.fetchval("SELECT area_id FROM bookings WHERE id = $1", call.booking_id))
    _, bystander_headers = await http_user(client, db)
    _, admin_headers = await http_admin(client, db)
    assert await _slots(client, call.expert_id, area_id, call.client_headers)

    blocked = await client.put(
        f"/v1/me/blocks/{call.client_id}", json={"reason": "Rude messages"}, headers=call.expert_headers
    )
    assert blocked.status_code == 200, blocked.text
    assert blocked.json()["cancelled_bookings"] == [str(call.booking_id)]

    booking = (await client.get(f"/v1/bookings/{call.booking_id}", headers=call.client_headers)).json()
    assert booking["status"] == "cancelled"
    async with db.connection() as conn:
        refunded = await conn.fetchval(
            "SELECT sum(r.amount) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.booking_id = $1",
            call.booking_id,
        )
        price = await conn.fetchval(
            "SELECT price_amount FROM calls c JOIN bookings b ON b.call_id = c.id WHERE b.id = $1", call.booking_id
        )
        told = await conn.fetch(
            "SELECT user_id FROM notifications WHERE kind = 'booking.cancelled' AND data->>'booking_id' = $1",
            str(call.booking_id),
        )
    assert refunded == price
    assert {row["user_id"] for row in told} == {call.client_id, call.expert_id}
    assert await LedgerAuditor(db).verify() == []

    assert await _slots(client, call.expert_id, area_id, call.client_headers) == []
    assert await _slots(client, call.expert_id, area_id, bystander_headers)
    profile = await client.get(f"/v1/experts/{call.expert_id}", headers=call.client_headers)
    assert profile.json()["can_book"] is False
    assert (await client.get(f"/v1/experts/{call.expert_id}")).json()["can_book"] is True

    start = slot_start(now, days=3)
    body = {"expert_id": str(call.expert_id), "area_id": area_id, "start": start.isoformat()}
    refused = await client.post("/v1/bookings", json=body, headers=call.client_headers)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "slot_unavailable"

    listed = await client.get("/v1/admin/blocks", params={"user_id": str(call.client_id)}, headers=admin_headers)
    assert listed.status_code == 200
    assert [(b["blocker_id"], b["reason"]) for b in listed.json()] == [(str(call.expert_id), "Rude messages")]
    assert (await client.get("/v1/admin/blocks", headers=call.expert_headers)).status_code == 403
    assert (await client.get("/v1/admin/blocks")).status_code == 401

    assert (await client.delete(f"/v1/me/blocks/{call.client_id}", headers=call.expert_headers)).status_code == 204
    assert await _slots(client, call.expert_id, area_id, call.client_headers)
    again = await client.post("/v1/bookings", json=body, headers=call.client_headers)
    assert again.status_code == 201, again.text


async def test_blocking_needs_a_reason_and_someone_else(client: Client, db: Database) -> None:
    user_id, headers = await http_user(client, db)
    other_id, _ = await http_user(client, db)
    no_reason = await client.put(f"/v1/me/blocks/{other_id}", json={"reason": "  "}, headers=headers)
    assert (no_reason.status_code, no_reason.json()["code"]) == (422, "reason_required")
    self_block = await client.put(f"/v1/me/blocks/{user_id}", json={"reason": "x"}, headers=headers)
    assert (self_block.status_code, self_block.json()["code"]) == (422, "cannot_block_self")
    missing = await client.put(f"/v1/me/blocks/{uuid.uuid4()}", json={"reason": "x"}, headers=headers)
    assert missing.status_code == 404
    made = await client.put(f"/v1/me/blocks/{other_id}", json={"reason": "Spam"}, headers=headers)
    assert made.json()["cancelled_bookings"] == []
    mine = (await client.get("/v1/me/blocks", headers=headers)).json()
    assert [(b["blocked_id"], b["reason"]) for b in mine] == [(str(other_id), "Spam")]
