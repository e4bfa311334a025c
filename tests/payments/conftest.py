"""Payments through the app: bookings made over HTTP, paid at the fake Paystack, webhooks forwarded."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.bootstrap import Container, Integrations
from procus.config import Settings
from procus.store import bookings as booking_store
from procus.store.db import Database
from tests.support.bookings import booking_body, http_expert, http_user, slot_start
from tests.support.fakes import FakeClock
from tests.support.payments import PaystackRelay, Webhook, paystack_client

Client = AsyncTestClient[Litestar]


class Booked(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    reference: str
    authorization_url: str
    expert_id: uuid.UUID
    client_id: uuid.UUID
    expert_headers: dict[str, str]
    client_headers: dict[str, str]


class Payments:
    """The app under test with the fake Paystack: make bookings, pay them, deliver webhooks.

    ``services`` is the same wiring as the app's, built on the test's own event loop (the test client
    runs the app on another loop), for what has no HTTP route: jobs, releases, the ledger audit.
    """

    def __init__(
        self, client: Client, db: Database, clock: FakeClock, relay: PaystackRelay, services: Container
    ) -> None:
        self.client = client
        self.db = db
        self.clock = clock
        self.relay = relay
        self.services = services

    async def book(
        self, *, price: int = 50_00, days: int = 2, expert: tuple[Any, dict[str, str]] | None = None
    ) -> Booked:
        bookable, expert_headers = expert or await http_expert(self.client, self.db)
        if price != 50_00:
            async with self.db.connection() as conn:
                await conn.execute(
                    "UPDATE expertise_areas SET price_amount = $2 WHERE id = $1", bookable.area_id, price
                )
        client_id, client_headers = await http_user(self.client, self.db)
        response = await self.client.post(
            "/v1/bookings",
            json=booking_body(bookable, slot_start(self.clock.now(), days=days)),
            headers=client_headers,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return Booked(
            booking_id=uuid.UUID(body["booking"]["id"]),
            reference=body["checkout"]["reference"],
            authorization_url=body["checkout"]["authorization_url"],
            expert_id=bookable.id,
            client_id=client_id,
            expert_headers=expert_headers,
            client_headers=client_headers,
        )

    async def deliver(self, hook: Webhook) -> dict[str, Any]:
        response = await self.relay.post(self.client, hook)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def pay(self, booked: Booked) -> dict[str, Any]:
        return await self.deliver(await self.relay.pay(booked.reference))

    async def paid_booking(self, **options: Any) -> Booked:
        booked = await self.book(**options)
        assert (await self.pay(booked))["status"] == "held"
        return booked

    async def payment(self, booking_id: uuid.UUID) -> dict[str, Any]:
        async with self.db.connection() as conn:
            row = await conn.fetchrow(
                "SELECT *, status::text AS status FROM payments WHERE booking_id = $1", booking_id
            )
        assert row is not None
        return dict(row)

    async def refunds(self, booking_id: uuid.UUID) -> list[dict[str, Any]]:
        async with self.db.connection() as conn:
            rows = await conn.fetch(
                "SELECT r.*, r.status::text AS status FROM refunds r JOIN payments p ON p.id = r.payment_id"
                " WHERE p.booking_id = $1 ORDER BY r.created_at",
                booking_id,
            )
        return [dict(row) for row in rows]

    async def verify_ledger(self) -> None:
        assert await self.services.ledger.verify() == []

    async def release(self, booking_id: uuid.UUID) -> None:
        """What bookings do when the call took place."""
        async with self.db.transaction() as tx:
            await self.services.escrow.release(tx, await booking_store.get_booking(tx, booking_id))

    async def refund(self, booking_id: uuid.UUID, share_bps: int, reason: str) -> None:
        """What bookings do when a booking ends without a call, refunding ``share_bps``."""
        async with self.db.transaction() as tx:
            booking = await booking_store.get_booking(tx, booking_id)
            await self.services.escrow.refund(tx, booking, share_bps=share_bps, reason=reason)

    async def cancel(self, booked: Booked, *, by: str = "client") -> Any:
        headers = booked.client_headers if by == "client" else booked.expert_headers
        return await self.client.post(
            f"/v1/bookings/{booked.booking_id}/cancel", json={"reason": "Plans changed"}, headers=headers
        )

    async def notifications(self, user_id: uuid.UUID) -> list[str]:
        async with self.db.connection() as conn:
            rows = await conn.fetch("SELECT kind FROM notifications WHERE user_id = $1 ORDER BY seq", user_id)
        return [row["kind"] for row in rows]

    async def advance(self, **delta: float) -> dt.datetime:
        return self.clock.advance(**delta)


@pytest.fixture
async def payments(
    client: Client,
    db: Database,
    clock: FakeClock,
    paystack_relay: PaystackRelay,
    settings: Settings,
    integrations: Integrations,
) -> AsyncIterator[Payments]:
    own = msgspec.structs.replace(integrations, payments=paystack_client(paystack_relay.fake))
    services = await Container.create(settings, own)
    try:
        yield Payments(client, db, clock, paystack_relay, services)
    finally:
        await services.close()
