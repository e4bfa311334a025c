"""The fake Paystack as one object: books, the events they cause, injected faults, a request log.

Refunds and transfers start ``pending``. With ``settle_seconds`` set they settle on their own after
that delay (refunds of transactions paid with :data:`REFUND_FAIL_CARD` fail, everything else
succeeds); with ``None`` they wait for the ``/_fake`` controls, which also work before auto-settling.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .ledger import REFUND_FAIL_CARD, Ledger
from .records import Refund, Transaction, Transfer
from .shapes import refund_event_json, transaction_json, transfer_json
from .webhooks import WebhookDispatcher, WebhookPolicy

__all__ = ["FakePaystack", "FaultRule", "RequestRecord"]


@dataclass
class FaultRule:
    """Disturb the next ``remaining`` matching API requests.

    They wait ``delay`` seconds first (long enough and the client times out, while the request still
    takes effect), then are answered with ``status``: before being processed, or with ``after=True``
    processed and the real answer lost (what a proxy 5xx looks like to the client). ``status=None``
    only delays.
    """

    remaining: int
    status: int | None = 500
    method: str | None = None
    path_prefix: str | None = None
    after: bool = False
    delay: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        return (
            self.remaining > 0
            and (self.method is None or self.method.upper() == method)
            and (self.path_prefix is None or path.startswith(self.path_prefix))
        )


@dataclass
class RequestRecord:
    method: str
    path: str
    query: str
    status: int
    injected: bool
    reference: str | None = None
    """The transaction or transfer reference the request is about (from its path or JSON body), if any."""
    elapsed_ms: float = 0.0
    """How long the fake took to answer, injected delays included: the fake's own share of a caller's wait."""


class FakePaystack:
    def __init__(
        self,
        *,
        secret_key: str,
        public_url: str,
        webhook_url: str | None = None,
        settle_seconds: float | None = 2.0,
        webhook_policy: WebhookPolicy | None = None,
        max_page_size: int = 100,
        max_requests: int = 2000,
    ) -> None:
        self.secret_key = secret_key
        self.public_url = public_url.rstrip("/")
        self.settle_seconds = settle_seconds
        self.max_page_size = max_page_size
        self.ledger = Ledger()
        self.webhooks = WebhookDispatcher(secret_key, webhook_url, webhook_policy)
        self.faults: list[FaultRule] = []
        self.requests: collections.deque[RequestRecord] = collections.deque(maxlen=max_requests)
        self._timers: set[asyncio.TimerHandle] = set()

    async def start(self) -> None:
        await self.webhooks.start()

    async def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
        await self.webhooks.stop()

    def authorization_url(self, transaction: Transaction) -> str:
        return f"{self.public_url}/checkout/{transaction.access_code}"

    def take_fault(self, method: str, path: str) -> FaultRule | None:
        for rule in self.faults:
            if rule.matches(method, path):
                rule.remaining -= 1
                return rule
        return None

    def pay(
        self, reference: str, card_number: str | None = None, *, amount: int | None = None, currency: str | None = None
    ) -> Transaction:
        transaction = self.ledger.complete(
            reference, paid=True, card_number=card_number, amount=amount, currency=currency
        )
        self.webhooks.emit("charge.success", transaction_json(transaction))
        return transaction

    def decline(self, reference: str) -> Transaction:
        return self.ledger.complete(reference, paid=False)

    def create_refund(self, body: dict[str, Any]) -> Refund:
        refund = self.ledger.create_refund(body)
        self.webhooks.emit("refund.pending", refund_event_json(refund))
        outcome = "failed" if refund.transaction.card_number == REFUND_FAIL_CARD else "processed"
        self._later(lambda: self._auto_settle_refund(refund, outcome))
        return refund

    def settle_refund(self, refund_id: int, outcome: str) -> Refund:
        refund = self.ledger.settle_refund(refund_id, outcome)
        self.webhooks.emit(f"refund.{outcome}", refund_event_json(refund))
        return refund

    def create_transfer(self, body: dict[str, Any]) -> Transfer:
        transfer, created = self.ledger.create_transfer(body)
        if created:
            self._later(lambda: self._auto_settle_transfer(transfer))
        return transfer

    def settle_transfer(self, reference: str, outcome: str) -> Transfer:
        transfer = self.ledger.settle_transfer(reference, outcome)
        self.webhooks.emit(f"transfer.{outcome}", transfer_json(transfer, embed_recipient=True))
        return transfer

    def _auto_settle_refund(self, refund: Refund, outcome: str) -> None:
        if refund.status == "pending":
            self.settle_refund(refund.id, outcome)

    def _auto_settle_transfer(self, transfer: Transfer) -> None:
        if transfer.status == "pending":
            self.settle_transfer(transfer.reference, "success")

    def _later(self, callback: Callable[[], None]) -> None:
        if self.settle_seconds is None:
            return

        def run() -> None:
            self._timers.discard(timer)
            callback()

        timer = asyncio.get_running_loop().call_later(self.settle_seconds, run)
        self._timers.add(timer)
