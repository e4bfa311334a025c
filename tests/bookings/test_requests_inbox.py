"""What the expert's requests inbox reads from GET /v1/bookings: who, what, when (in both zones), paid or not."""

from __future__ import annotations

import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.accounts import bearer, register, verify_directly
from tests.support.bookings import booking_body, http_expert, slot_start
from tests.support.fakes import FakeClock
from tests.support.payments import PaystackRelay

Client = AsyncTestClient[Litestar]


async def test_pending_requests_carry_the_clients_zone_note_payment_and_deadline(
    client: Client, db: Database, clock: FakeClock, paystack_relay: PaystackRelay
) -> None:
    expert, expert_headers = await http_expert(client, db)
    tokens = await register(client, full_name="Lena Vogel", time_zone="Europe/Berlin")
    await verify_directly(db, uuid.UUID(tokens["user"]["id"]))
    client_headers = bearer(tokens)
    start = slot_start(clock.now())
    body = {**booking_body(expert, start), "note": "Second opinion on my thesis plan"}
    created = await client.post("/v1/bookings", json=body, headers=client_headers)
    assert created.status_code == 201, created.text
    assert created.json()["booking"]["payment_status"] == "pending"

    async def inbox() -> list[dict[str, object]]:
        response = await client.get(
            "/v1/bookings", params={"role": "expert", "status": "pending", "when": "upcoming"}, headers=expert_headers
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, object]] = response.json()["items"]
        return items

    [unpaid] = await inbox()
    assert unpaid["payment_status"] == "pending"
    await paystack_relay.post(client, await paystack_relay.pay(created.json()["checkout"]["reference"]))
    [request] = await inbox()
    assert request["client"] == {
        "id": tokens["user"]["id"],
        "full_name": "Lena Vogel",
        "time_zone": "Europe/Berlin",
    }
    assert request["payment_status"] == "held"
    assert request["note"] == "Second opinion on my thesis plan"
    assert request["area"] == {"id": str(expert.area_id), "title": "Python mentoring"}
    assert request["start"] == start.isoformat().replace("+00:00", "Z")
    assert request["answer_by"] is not None
    assert {"accept", "decline", "propose_reschedule"} <= set(request["actions"])  # type: ignore[arg-type]
