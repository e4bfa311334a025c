"""The one layer every HTTP request passes through before Litestar: its id, rate limits, security
headers, metrics and access log.

Each concern lives in its own module (``request_context``, ``rate_limit``, ``security_headers``,
``app.metrics``); they run here in a single ASGI layer with a single ``send`` wrapper. As four
nested middlewares, each a coroutine of its own and three of them wrapping ``send``, they cost
about 7 us more per request of GET /slots (``bench/slots_profile.py``, in-process A/B).

What a response gets is what the four layers gave it: the refusal of a rate limit is answered
here, inside the rest, so a 429 also carries the request id and the security headers and is
counted and logged; the request id is the last header.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from procus.app.logging import request_id_var
from procus.app.metrics import Metrics
from procus.app.middleware.rate_limit import RateLimiter, send_too_many
from procus.app.middleware.request_context import REQUEST_ID_HEADER, log_request, request_id_for
from procus.app.middleware.security_headers import Headers

__all__ = ["edge_middleware"]

_REQUEST_ID = REQUEST_ID_HEADER.encode()


def edge_middleware(
    *, security_headers: Callable[[str], Headers], metrics: Metrics, limiter: RateLimiter
) -> Callable[[ASGIApp], ASGIApp]:
    def factory(app: ASGIApp) -> ASGIApp:
        async def edge(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != ScopeType.HTTP:
                await app(scope, receive, send)
                return
            request_id = request_id_for(scope)
            token = request_id_var.set(request_id)
            started = time.perf_counter()
            added = (*security_headers(scope["path"]), (_REQUEST_ID, request_id.encode()))
            status = 500

            async def send_with_headers(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                    message["headers"] = [*message.get("headers", ()), *added]
                await send(message)

            try:
                refusal = await limiter.refusal(scope)
                if refusal is None:
                    await app(scope, receive, send_with_headers)
                else:
                    await send_too_many(send_with_headers, refusal)
            finally:
                seconds = time.perf_counter() - started
                metrics.record(scope.get("method", ""), scope.get("path_template"), status, seconds)
                log_request(scope, status, seconds)
                request_id_var.reset(token)

        return edge

    return factory
