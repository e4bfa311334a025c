"""The fake Paystack on 127.0.0.1 for tests, plus a loopback receiver for the webhooks it sends.

:class:`FakePaystackServer` runs the fake (``procus_devstack.fake_paystack``) with uvicorn in a
background thread with its own event loop, on a socket bound to a free port before start-up. By
default refunds and transfers stay ``pending`` until a test settles them, and webhooks are only
recorded (``webhooks()``); pass ``webhook_url`` to have them delivered.
"""

from __future__ import annotations

import asyncio
import http.server
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx
import uvicorn

from procus.domain.gateway import TransferRecipient
from procus.integrations.paystack import PaystackClient
from procus_devstack.fake_paystack import FakePaystack, WebhookPolicy, create_app

__all__ = [
    "FakePaystackServer",
    "PaystackWebhookReceiver",
    "ReceivedPaystackWebhook",
    "closed_port",
    "expert_recipient",
    "new_reference",
    "paid_transaction",
]

TEST_SECRET_KEY = "sk_test_procus_fake_paystack_tests"
_TLS = ssl.create_default_context()  # built once: httpx builds one per client otherwise (~70 ms)


def closed_port() -> int:
    """A loopback port nothing listens on (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class FakePaystackServer:
    def __init__(
        self,
        *,
        secret_key: str = TEST_SECRET_KEY,
        webhook_url: str | None = None,
        settle_seconds: float | None = None,
        webhook_retry_delays: tuple[float, ...] = (0.05, 0.1, 0.2),
        max_page_size: int = 3,
    ) -> None:
        self.secret_key = secret_key
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.fake = FakePaystack(
            secret_key=secret_key,
            public_url=self.base_url,
            webhook_url=webhook_url,
            settle_seconds=settle_seconds,
            webhook_policy=WebhookPolicy(retry_delays=webhook_retry_delays, timeout=2.0),
            max_page_size=max_page_size,
        )
        config = uvicorn.Config(create_app(self.fake), log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="fake-paystack", daemon=True
        )

    def start(self) -> Self:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake Paystack server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def _control(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        async with httpx.AsyncClient(base_url=self.base_url, timeout=5, verify=_TLS) as http:
            response = await http.request(method, f"/_fake{path}", json=body)
        response.raise_for_status()
        return response.json()

    async def pay(
        self, reference: str, card: str | None = None, *, amount: int | None = None, currency: str | None = None
    ) -> dict[str, Any]:
        """The customer pays (as if through the checkout page); sends ``charge.success``. ``amount`` and
        ``currency`` make the charge differ from the checkout."""
        body = {"card": card, "amount": amount, "currency": currency}
        result: dict[str, Any] = await self._control("POST", f"/transactions/{reference}/pay", body)
        return result

    async def decline(self, reference: str) -> dict[str, Any]:
        result: dict[str, Any] = await self._control("POST", f"/transactions/{reference}/decline")
        return result

    async def transaction(self, reference: str) -> dict[str, Any]:
        """The transaction as Paystack shows it, plus ``refunds`` and ``refundable``."""
        result: dict[str, Any] = await self._control("GET", f"/transactions/{reference}")
        return result

    async def settle_refund(self, refund_id: int, outcome: str) -> dict[str, Any]:
        """``outcome``: ``process`` or ``fail``."""
        result: dict[str, Any] = await self._control("POST", f"/refunds/{refund_id}/{outcome}")
        return result

    async def settle_transfer(self, reference: str, outcome: str) -> dict[str, Any]:
        """``outcome``: ``succeed``, ``fail`` or ``reverse``."""
        result: dict[str, Any] = await self._control("POST", f"/transfers/{reference}/{outcome}")
        return result

    async def webhooks(self, event: str | None = None) -> list[dict[str, Any]]:
        deliveries: list[dict[str, Any]] = await self._control(
            "GET", "/webhooks" + (f"?event={event}" if event else "")
        )
        return deliveries

    async def wait_for_webhooks(
        self, count: int, predicate: Callable[[dict[str, Any]], bool] = lambda _: True, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """At least ``count`` recorded deliveries matching ``predicate`` (events are emitted asynchronously)."""
        async with asyncio.timeout(timeout):
            while True:
                matching = [delivery for delivery in await self.webhooks() if predicate(delivery)]
                if len(matching) >= count:
                    return matching
                await asyncio.sleep(0.02)

    async def requests(self, path: str | None = None, method: str | None = None) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = await self._control("GET", "/requests")
        return [r for r in records if (path is None or r["path"] == path) and (method is None or r["method"] == method)]

    def requests_since(self, earlier: Iterable[Any]) -> list[Any]:
        """The API requests the fake saw after ``earlier`` (a copy of ``fake.requests`` taken before): the
        fake is shared by a whole test session, so a test counts only its own requests."""
        seen = {id(record) for record in earlier}
        return [record for record in self.fake.requests if id(record) not in seen]

    async def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        method: str | None = None,
        path_prefix: str | None = None,
        after: bool = False,
    ) -> None:
        """Answer the next ``count`` matching API requests with ``status``; ``after`` processes them first."""
        rule = {"count": count, "status": status, "method": method, "path_prefix": path_prefix, "after": after}
        await self._control("POST", "/faults", rule)

    async def delay_next(
        self, seconds: float, count: int = 1, *, method: str | None = None, path_prefix: str | None = None
    ) -> None:
        """Hold the next ``count`` matching API requests for ``seconds``, then process them normally."""
        rule = {"count": count, "status": None, "method": method, "path_prefix": path_prefix, "delay": seconds}
        await self._control("POST", "/faults", rule)

    async def clear_faults(self) -> None:
        await self._control("DELETE", "/faults")


def new_reference() -> str:
    """A fresh checkout reference (letters, digits and dashes, as Paystack allows)."""
    return f"bk-{uuid.uuid4()}"


async def paid_transaction(
    paystack: PaystackClient, fake: FakePaystackServer, amount: int = 10_000, card: str | None = None
) -> str:
    """Initialize a NGN checkout through our client and have the customer pay it; returns the reference."""
    reference = new_reference()
    await paystack.initialize_transaction(
        email="client@example.com", amount=amount, currency="NGN", reference=reference
    )
    await fake.pay(reference, card)
    return reference


async def expert_recipient(paystack: PaystackClient) -> TransferRecipient:
    """Paystack's test account (bank 057, account 0000000000) as a transfer recipient."""
    return await paystack.create_transfer_recipient(
        name="Ada Expert", account_number="0000000000", bank_code="057", currency="NGN"
    )


@dataclass(frozen=True)
class ReceivedPaystackWebhook:
    body: bytes
    signature: str | None
    content_type: str | None
    answered: int


class PaystackWebhookReceiver:
    """A loopback endpoint that keeps each POST's raw body and headers and answers from a script.

    ``statuses`` are the answers to the first requests in order; afterwards every request gets 200.
    """

    def __init__(self, statuses: Iterable[int] = ()) -> None:
        self._script = list(statuses)
        self._lock = threading.Lock()
        self._received: list[ReceivedPaystackWebhook] = []
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="paystack-receiver", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/webhooks/paystack"

    def received(self) -> list[ReceivedPaystackWebhook]:
        with self._lock:
            return list(self._received)

    async def wait_for_count(self, count: int, timeout: float = 10.0) -> list[ReceivedPaystackWebhook]:
        async with asyncio.timeout(timeout):
            while len(self.received()) < count:
                await asyncio.sleep(0.02)
        return self.received()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, body: bytes, signature: str | None, content_type: str | None) -> int:
        with self._lock:
            status = self._script.pop(0) if self._script else 200
            self._received.append(ReceivedPaystackWebhook(body, signature, content_type, status))
        return status

    def _handler_class(self) -> type[http.server.BaseHTTPRequestHandler]:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = receiver._answer(
                    body, self.headers.get("x-paystack-signature"), self.headers.get("Content-Type")
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                return

        return Handler
