"""Assemble the fake: Paystack API, checkout page and ``/_fake`` controls behind the fault injector."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp

from .api import PaystackApi
from .checkout import CheckoutPage
from .control import FakeControls
from .engine import FakePaystack
from .faults import FaultInjector
from .index import index
from .records import PaystackError

__all__ = ["create_app"]


def _refusal(_: Request[Any, Any, Any], exc: PaystackError) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {"status": False, "message": exc.message}
    if exc.code:
        body["code"] = exc.code
    return Response(body, status_code=exc.status_code)


def _http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    return Response({"status": False, "message": exc.detail}, status_code=exc.status_code)


def create_app(fake: FakePaystack) -> ASGIApp:
    app = Litestar(
        route_handlers=[index, PaystackApi, CheckoutPage, FakeControls],
        dependencies={"fake": Provide(lambda: fake, sync_to_thread=False)},
        exception_handlers={PaystackError: _refusal, HTTPException: _http_error},
        state=State({"fake": fake}),
        on_startup=[fake.start],
        on_shutdown=[fake.stop],
        openapi_config=None,
    )
    return FaultInjector(app, fake)
