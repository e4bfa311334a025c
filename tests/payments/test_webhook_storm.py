"""A storm of 1,000 Paystack webhooks at once: duplicates, shuffled order and bad signatures mixed in.

Each charge is applied exactly once, every forged delivery is refused, unrelated events are
acknowledged, and afterwards the ledger verifies.
"""

from __future__ import annotations

import asyncio
import random

import httpx
import msgspec

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.integrations.paystack.signatures import paystack_signature
from tests.payments.conftest import Payments
from tests.support.http_server import serve_in_thread
from tests.support.payments import WEBHOOK_PATH, paystack_client

BOOKINGS = 20
COPIES = 30  # of each genuine charge.success: 600
FORGED = 250
UNRELATED = 150
CONCURRENCY = 25


async def test_a_thousand_concurrent_webhooks_apply_each_charge_exactly_once(
    payments: Payments, settings: Settings, integrations: Integrations
) -> None:
    booked = [await payments.book() for _ in range(BOOKINGS)]
    genuine = [await payments.relay.pay(b.reference) for b in booked]
    secret = payments.relay.fake.secret_key
    deliveries: list[tuple[str, bytes, str]] = []
    for hook in genuine:
        deliveries += [("genuine", hook.body, str(hook.signature))] * COPIES
    for i in range(FORGED):
        body = genuine[i % BOOKINGS].body if i % 2 else msgspec.json.encode({"event": "charge.success", "data": {}})
        deliveries.append(("forged", body, "0" * 128 if i % 3 else ""))
    for i in range(UNRELATED):
        body = msgspec.json.encode({"event": "charge.dispute.create", "data": {"id": i, "reference": f"other-{i}"}})
        deliveries.append(("unrelated", body, paystack_signature(secret, body)))
    random.Random(17).shuffle(deliveries)
    assert len(deliveries) == 1000

    gate = asyncio.Semaphore(CONCURRENCY)
    served = msgspec.structs.replace(integrations, payments=paystack_client(payments.relay.fake))  # its own loop
    with serve_in_thread(create_app(settings, served)) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:

            async def send(kind: str, body: bytes, signature: str) -> tuple[str, int, str]:
                async with gate:
                    response = await http.post(WEBHOOK_PATH, content=body, headers={"x-paystack-signature": signature})
                body = response.json()
                outcome = body["status"] if response.status_code == 200 else body["code"]
                return kind, response.status_code, outcome

            answers = await asyncio.gather(*(send(*delivery) for delivery in deliveries))

    by_kind: dict[str, list[tuple[int, str]]] = {"genuine": [], "forged": [], "unrelated": []}
    for kind, status, outcome in answers:
        by_kind[kind].append((status, outcome))
    assert all(status == 200 for status, _ in by_kind["genuine"]), set(by_kind["genuine"])
    assert sorted(outcome for _, outcome in by_kind["genuine"]).count("held") == BOOKINGS
    assert {outcome for _, outcome in by_kind["genuine"]} == {"held", "duplicate"}
    assert set(by_kind["forged"]) == {(401, "invalid_signature")}
    assert set(by_kind["unrelated"]) == {(200, "ignored")}

    async with payments.db.connection() as conn:
        holds = await conn.fetch(
            "SELECT p.booking_id, p.status::text AS status,"
            " (SELECT count(*) FROM payment_events e WHERE e.payment_id = p.id AND e.to_status = 'held') AS helds"
            " FROM payments p"
        )
        recorded = await conn.fetchval("SELECT count(*) FROM webhook_events WHERE event = 'charge.success'")
    assert {row["booking_id"] for row in holds} == {b.booking_id for b in booked}
    assert {(row["status"], row["helds"]) for row in holds} == {("held", 1)}
    assert recorded == BOOKINGS
    await payments.verify_ledger()
