"""The whole loop over real HTTP: the app served on loopback, the fake Paystack posting its webhooks to it."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import msgspec

from procus.app import create_app
from procus.bootstrap import Container, Integrations
from procus.config import Settings
from procus.store.db import Database
from tests.support.bookings import booking_body, http_expert, http_user, slot_start
from tests.support.fake_paystack import FakePaystackServer, closed_port
from tests.support.fakes import FakeClock
from tests.support.http_server import serve_in_thread
from tests.support.payments import WEBHOOK_PATH, paystack_client


async def _wait_for_status(db: Database, table: str, booking_id: uuid.UUID, status: str) -> None:
    query = {
        "payments": "SELECT status::text FROM payments WHERE booking_id = $1",
        "refunds": "SELECT r.status::text FROM refunds r JOIN payments p ON p.id = r.payment_id"
        " WHERE p.booking_id = $1",
    }[table]
    async with asyncio.timeout(10):
        while True:
            async with db.connection() as conn:
                if await conn.fetchval(query, booking_id) == status:
                    return
            await asyncio.sleep(0.05)


async def test_paystack_webhooks_reach_the_app_and_settle_the_money(
    settings: Settings, integrations: Integrations, db: Database, clock: FakeClock
) -> None:
    port = closed_port()
    webhook_url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    with FakePaystackServer(webhook_url=webhook_url, settle_seconds=0.2) as fake:
        served = msgspec.structs.replace(integrations, payments=paystack_client(fake))
        # the worker's side (refund jobs), on this test's event loop
        jobs = await Container.create(settings, msgspec.structs.replace(integrations, payments=paystack_client(fake)))
        try:
            with serve_in_thread(create_app(settings, served), port=port) as base_url:
                async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
                    expert, _ = await http_expert(http, db)  # type: ignore[arg-type]
                    _, client_headers = await http_user(http, db)  # type: ignore[arg-type]
                    created = await http.post(
                        "/v1/bookings",
                        json=booking_body(expert, slot_start(clock.now())),
                        headers=client_headers,
                    )
                    assert created.status_code == 201, created.text
                    booking_id = uuid.UUID(created.json()["booking"]["id"])

                    checkout = await http.get(created.json()["checkout"]["authorization_url"])
                    assert checkout.status_code == 200
                    await fake.pay(created.json()["checkout"]["reference"])
                    await _wait_for_status(db, "payments", booking_id, "held")

                    cancelled = await http.post(
                        f"/v1/bookings/{booking_id}/cancel", json={"reason": "Plans changed"}, headers=client_headers
                    )
                    assert cancelled.status_code == 200, cancelled.text
                    async with db.connection() as conn:
                        refund_id = await conn.fetchval("SELECT id FROM refunds")
                    assert await jobs.refunds.execute(refund_id) == "submitted"
                    await _wait_for_status(db, "refunds", booking_id, "processed")
            assert await jobs.ledger.verify() == []
        finally:
            await jobs.close()
