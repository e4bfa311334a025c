"""Payments in tests: the fake Paystack, its webhooks caught on loopback and handed to the app on demand.

The fake signs and POSTs every webhook to a loopback receiver that keeps the exact bytes; a test
forwards them to the app (``/v1/webhooks/paystack`` or the webhook service) when, in the order, and
as often as it wants: the way to test duplicates, late and out-of-order deliveries.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.integrations.paystack import PaystackClient
from procus.store.db import Database
from tests.support.fake_paystack import FakePaystackServer, PaystackWebhookReceiver, ReceivedPaystackWebhook

__all__ = [
    "WEBHOOK_PATH",
    "PaystackRelay",
    "Webhook",
    "ledger_lines",
    "paystack_client",
    "paystack_relay",
]

WEBHOOK_PATH = "/v1/webhooks/paystack"


class Webhook(msgspec.Struct, frozen=True):
    """One delivery as the fake sent it: the exact body and its signature."""

    event: str
    data: dict[str, Any]
    body: bytes
    signature: str | None

    @property
    def reference(self) -> str | None:
        value = self.data.get("transaction_reference") or self.data.get("reference")
        return str(value) if value is not None else None


def _parse(received: ReceivedPaystackWebhook) -> Webhook:
    payload = msgspec.json.decode(received.body)
    return Webhook(event=payload["event"], data=payload["data"], body=received.body, signature=received.signature)


class PaystackRelay:
    def __init__(self, fake: FakePaystackServer, receiver: PaystackWebhookReceiver) -> None:
        self.fake = fake
        self.receiver = receiver

    def received(self, event: str | None = None, reference: str | None = None) -> list[Webhook]:
        hooks = [_parse(item) for item in self.receiver.received()]
        return [
            hook
            for hook in hooks
            if (event is None or hook.event == event) and (reference is None or hook.reference == reference)
        ]

    async def wait_for(
        self, event: str, reference: str | None = None, *, count: int = 1, timeout: float = 5.0
    ) -> list[Webhook]:
        async with asyncio.timeout(timeout):
            while len(found := self.received(event, reference)) < count:
                await asyncio.sleep(0.01)
        return found

    async def post(self, client: AsyncTestClient[Litestar], hook: Webhook) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if hook.signature is not None:
            headers["x-paystack-signature"] = hook.signature
        return await client.post(WEBHOOK_PATH, content=hook.body, headers=headers)

    async def pay(self, reference: str, card: str | None = None, **charged: Any) -> Webhook:
        """The payer completes the checkout; returns the charge.success webhook the fake sent.
        ``charged`` (amount, currency) makes the charge at Paystack differ from the checkout."""
        await self.fake.pay(reference, card, **charged)
        [hook] = await self.wait_for("charge.success", reference)
        return hook

    async def settle_refund(self, reference: str, outcome: str = "process") -> Webhook:
        """Settle the transaction's newest pending refund at the fake; returns the refund.* webhook."""
        transaction = await self.fake.transaction(reference)
        pending = [refund for refund in transaction["refunds"] if refund["status"] == "pending"]
        refund_id = pending[-1]["id"]
        await self.fake.settle_refund(refund_id, outcome)
        return await self.refund_settled(refund_id, reference, outcome)

    async def refund_settled(self, refund_id: int, reference: str, outcome: str, *, timeout: float = 5.0) -> Webhook:
        """The refund.* webhook for this very refund: a transaction may already carry hooks for earlier
        refunds, so waiting for any hook on the reference would race with this one's delivery."""
        event = "refund.processed" if outcome == "process" else "refund.failed"
        async with asyncio.timeout(timeout):
            while not (hooks := [h for h in self.received(event, reference) if h.data["id"] == refund_id]):
                await asyncio.sleep(0.01)
        return hooks[0]

    async def settle_transfer(self, reference: str, outcome: str = "succeed") -> Webhook:
        await self.fake.settle_transfer(reference, outcome)
        event = {"succeed": "transfer.success", "fail": "transfer.failed", "reverse": "transfer.reversed"}[outcome]
        [hook] = await self.wait_for(event, reference)
        return hook


def paystack_client(fake: FakePaystackServer) -> PaystackClient:
    """Our real Paystack client pointed at the fake, with short retry backoff."""
    return PaystackClient(fake.secret_key, fake.base_url, backoff_base=0.01, backoff_max=0.02)


@contextmanager
def paystack_relay() -> Iterator[PaystackRelay]:
    """A fake Paystack (refunds and transfers wait to be settled) delivering to a loopback receiver."""
    receiver = PaystackWebhookReceiver()
    try:
        with FakePaystackServer(webhook_url=receiver.url) as fake:
            yield PaystackRelay(fake, receiver)
    finally:
        receiver.close()


async def ledger_lines(
    db: Database, *, payment_id: uuid.UUID | None = None, payout_id: uuid.UUID | None = None
) -> list[tuple[str, str, int]]:
    """(entry kind, account kind, amount) of the ledger lines about a payment or payout, in order."""
    async with db.connection() as conn:
        rows = await conn.fetch(
            """
            SELECT e.kind::text AS entry, a.kind::text AS account, l.amount
            FROM ledger_entries e JOIN ledger_lines l ON l.entry_id = e.id JOIN ledger_accounts a ON a.id = l.account_id
            WHERE ($1::uuid IS NULL OR e.payment_id = $1) AND ($2::uuid IS NULL OR e.payout_id = $2)
            ORDER BY e.id, l.id
            """,
            payment_id,
            payout_id,
        )
    return [(row["entry"], row["account"], row["amount"]) for row in rows]
