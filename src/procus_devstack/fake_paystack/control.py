"""``/_fake/*``: drive the fake from tests and the dev SPA (no auth; the fake only listens on loopback).

What each control does is listed once, in :data:`.index.CONTROLS` (shown at ``GET /``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from litestar import Controller, Response, delete, get, post

from .engine import FakePaystack, FaultRule
from .records import PaystackError
from .shapes import refund_json, transaction_json, transfer_json

__all__ = ["FakeControls"]


def _ok(data: Any) -> Response[Any]:
    return Response(data, status_code=200)


def _card(data: dict[str, Any] | None) -> str | None:
    card = (data or {}).get("card")
    return str(card) if card else None


class FakeControls(Controller):
    path = "/_fake"

    @get("/transactions/{reference:str}")
    async def transaction(self, fake: FakePaystack, reference: str) -> Response[Any]:
        transaction = fake.ledger.transaction(reference)
        refunds = [refund_json(refund, embed_transaction=False) for refund in transaction.refunds]
        return _ok({**transaction_json(transaction), "refunds": refunds, "refundable": transaction.refundable})

    @post("/transactions/{reference:str}/pay")
    async def pay(self, fake: FakePaystack, reference: str, data: dict[str, Any] | None = None) -> Response[Any]:
        body = data or {}
        amount = int(body["amount"]) if body.get("amount") is not None else None
        currency = str(body["currency"]) if body.get("currency") else None
        return _ok(transaction_json(fake.pay(reference, _card(data), amount=amount, currency=currency)))

    @post("/transactions/{reference:str}/decline")
    async def decline(self, fake: FakePaystack, reference: str) -> Response[Any]:
        return _ok(transaction_json(fake.decline(reference)))

    @post("/refunds/{refund_id:int}/{outcome:str}")
    async def settle_refund(self, fake: FakePaystack, refund_id: int, outcome: str) -> Response[Any]:
        statuses = {"process": "processed", "fail": "failed"}
        if outcome not in statuses:
            raise PaystackError(404, f"Unknown refund control {outcome!r}")
        return _ok(refund_json(fake.settle_refund(refund_id, statuses[outcome]), embed_transaction=False))

    @post("/transfers/{reference:str}/{outcome:str}")
    async def settle_transfer(self, fake: FakePaystack, reference: str, outcome: str) -> Response[Any]:
        statuses = {"succeed": "success", "fail": "failed", "reverse": "reversed"}
        if outcome not in statuses:
            raise PaystackError(404, f"Unknown transfer control {outcome!r}")
        return _ok(transfer_json(fake.settle_transfer(reference, statuses[outcome]), embed_recipient=True))

    @get("/webhooks")
    async def webhooks(self, fake: FakePaystack, event: str | None = None) -> Response[Any]:
        deliveries = fake.webhooks.deliveries
        return _ok([d.as_json() for d in deliveries if event is None or d.event == event])

    @get("/requests")
    async def requests(self, fake: FakePaystack) -> Response[Any]:
        return _ok([asdict(record) for record in fake.requests])

    @post("/faults")
    async def add_fault(self, fake: FakePaystack, data: dict[str, Any]) -> Response[Any]:
        try:
            status = data.get("status", 500)
            rule = FaultRule(
                remaining=int(data.get("count", 1)),
                status=None if status is None else int(status),
                method=data.get("method"),
                path_prefix=data.get("path_prefix"),
                after=bool(data.get("after", False)),
                delay=float(data.get("delay", 0.0)),
            )
        except (TypeError, ValueError) as exc:
            raise PaystackError(400, f"Invalid fault: {exc}") from None
        fake.faults.append(rule)
        return _ok(asdict(rule))

    @delete("/faults", status_code=200)
    async def clear_faults(self, fake: FakePaystack) -> Response[Any]:
        fake.faults.clear()
        return _ok([])
