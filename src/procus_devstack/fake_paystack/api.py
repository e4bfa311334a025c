"""The Paystack REST endpoints we use, behind ``Authorization: Bearer <secret key>``."""

from __future__ import annotations

import base64
import hmac
from typing import Any

from litestar import Controller, Response, get, post
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.params import Parameter

from .banks import BANKS
from .engine import FakePaystack
from .records import PaystackError
from .shapes import bank_json, recipient_json, refund_json, transaction_json, transfer_json

__all__ = ["PaystackApi", "paystack_ok"]


def paystack_ok(message: str, data: Any, **extra: Any) -> Response[dict[str, Any]]:
    return Response({"status": True, "message": message, "data": data, **extra}, status_code=200)


def require_secret_key(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    fake: FakePaystack = connection.app.state.fake
    header = connection.headers.get("authorization")
    if not header:
        raise PaystackError(401, "No Authorization Header was found")
    if not hmac.compare_digest(header.encode(), f"Bearer {fake.secret_key}".encode()):
        raise PaystackError(401, "Invalid key")


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"bank:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        prefix, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        if prefix != "bank":
            raise ValueError(prefix)
        return int(number)
    except ValueError:
        raise PaystackError(400, "Invalid cursor") from None


class PaystackApi(Controller):
    path = "/"
    guards = [require_secret_key]

    @post("/transaction/initialize", status_code=200)
    async def initialize(self, fake: FakePaystack, data: dict[str, Any]) -> Response[dict[str, Any]]:
        transaction = fake.ledger.initialize(data)
        checkout = {
            "authorization_url": fake.authorization_url(transaction),
            "access_code": transaction.access_code,
            "reference": transaction.reference,
        }
        return paystack_ok("Authorization URL created", checkout)

    @get("/transaction/verify/{reference:str}")
    async def verify(self, fake: FakePaystack, reference: str) -> Response[dict[str, Any]]:
        return paystack_ok("Verification successful", transaction_json(fake.ledger.transaction(reference)))

    @post("/refund", status_code=200)
    async def create_refund(self, fake: FakePaystack, data: dict[str, Any]) -> Response[dict[str, Any]]:
        refund = fake.create_refund(data)
        return paystack_ok("Refund has been queued for processing", refund_json(refund, embed_transaction=True))

    @get("/refund/{refund_id:int}")
    async def fetch_refund(self, fake: FakePaystack, refund_id: int) -> Response[dict[str, Any]]:
        return paystack_ok("Refund retrieved", refund_json(fake.ledger.refund(refund_id), embed_transaction=False))

    @post("/transferrecipient", status_code=200)
    async def create_recipient(self, fake: FakePaystack, data: dict[str, Any]) -> Response[dict[str, Any]]:
        recipient = fake.ledger.create_recipient(data)
        return paystack_ok("Transfer recipient created successfully", recipient_json(recipient))

    @post("/transfer", status_code=200)
    async def create_transfer(self, fake: FakePaystack, data: dict[str, Any]) -> Response[dict[str, Any]]:
        transfer = fake.create_transfer(data)
        return paystack_ok("Transfer has been queued", transfer_json(transfer, embed_recipient=False))

    @get("/transfer/verify/{reference:str}")
    async def verify_transfer(self, fake: FakePaystack, reference: str) -> Response[dict[str, Any]]:
        transfer = fake.ledger.transfer(reference)
        return paystack_ok("Transfer retrieved", transfer_json(transfer, embed_recipient=True))

    @get("/bank")
    async def list_banks(
        self,
        fake: FakePaystack,
        currency: str = "NGN",
        per_page: int = Parameter(query="perPage", default=50, ge=1),
        use_cursor: bool = False,
        cursor: str | None = Parameter(query="next", default=None),
        page: int = Parameter(default=1, ge=1),
    ) -> Response[dict[str, Any]]:
        banks = BANKS.get(currency, [])
        size = min(per_page, fake.max_page_size)
        start = _offset(cursor) if use_cursor else (page - 1) * size
        chunk = [bank_json(bank) for bank in banks[start : start + size]]
        if use_cursor:
            following = start + size
            meta: dict[str, Any] = {
                "next": _cursor(following) if following < len(banks) else None,
                "previous": _cursor(max(0, start - size)) if start else None,
                "perPage": size,
            }
        else:
            meta = {"total": len(banks), "skipped": start, "perPage": size, "page": page}
        return paystack_ok("Banks retrieved", chunk, meta=meta)
