"""The Litestar application: routes, middleware, error map, OpenAPI and lifespan."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from procus.app.api_docs import api_docs_config, docs_asset
from procus.app.dependency_order import resolve_dependencies_in_order
from procus.app.logging import configure_logging
from procus.app.metrics import Metrics, PoolStats
from procus.app.middleware.client_address import client_address_middleware
from procus.app.middleware.edge import edge_middleware
from procus.app.middleware.rate_limit import HitCounter, MemoryHitCounter, RateLimit, RateLimiter
from procus.app.middleware.request_context import REQUEST_ID_HEADER
from procus.app.middleware.security_headers import security_headers
from procus.app.openapi import document_errors
from procus.app.problems import exception_handlers
from procus.app.providers import dependencies
from procus.app.request import StrictJsonRequest
from procus.app.routes import route_handlers
from procus.app.stopping import on_stop_signal
from procus.bootstrap import Container, Integrations
from procus.config import NO_DATABASE, Settings, get_settings
from procus.services.notices.notification_stream import NotificationStreamService
from procus.store.db import Database

__all__ = ["create_app", "create_server_app", "openapi_document"]


def _hit_counter(settings: Settings) -> HitCounter:
    if settings.redis_url:
        from procus.integrations.redis_counter import RedisHitCounter

        return RedisHitCounter(settings.redis_url)
    return MemoryHitCounter()


def _pool_stats(db: Database) -> PoolStats:
    return PoolStats(in_use=db.in_use, size=db.size, waiting=db.waiting)


def _init_sentry(settings: Settings) -> None:
    if not settings.sentry_dsn:
        return
    import sentry_sdk

    sentry_sdk.init(
        dsn=settings.sentry_dsn, environment=settings.app_env, traces_sample_rate=0.0, send_default_pii=False
    )


def _metrics_route(settings: Settings, metrics: Metrics) -> list[Any]:
    """``/metrics`` behind ``METRICS_TOKEN``; without one, served only in development."""
    if settings.metrics_token or settings.is_development:
        return [metrics.handler(settings.metrics_token)]
    return []


def create_app(settings: Settings | None = None, integrations: Integrations | None = None) -> Litestar:
    """Build the app; ``integrations`` replaces the real outside world (tests pass fakes of our Protocols)."""
    settings = settings or get_settings()
    resolve_dependencies_in_order()
    configure_logging(settings.log_level, json=settings.log_json)
    _init_sentry(settings)
    state = State({"settings": settings})
    metrics = Metrics(lambda: _pool_stats(state.container.db) if "container" in state else None)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if not settings.database_url:
            raise RuntimeError(NO_DATABASE)
        container = await Container.create(settings, integrations)
        app.state.container = container
        on_stop_signal(container.service(NotificationStreamService).end_all)
        try:
            yield
        finally:
            await container.close()

    limits = [
        RateLimit("auth", settings.rate_limit_auth_per_minute, 60, lambda path: path.startswith("/v1/auth/")),
        RateLimit("global", settings.rate_limit_global_per_minute, 60, lambda path: True),
    ]
    app = Litestar(
        route_handlers=[*route_handlers(settings), *_metrics_route(settings, metrics), docs_asset],
        dependencies=dependencies(state),
        exception_handlers=exception_handlers,
        lifespan=[lifespan],
        state=state,
        cors_config=CORSConfig(
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID", "Last-Event-ID"],
            expose_headers=[REQUEST_ID_HEADER, "Retry-After", "Location"],
        ),
        openapi_config=api_docs_config(title="ProcusMeet API", version="1.0.0"),
        logging_config=None,
        request_class=StrictJsonRequest,
        debug=False,
    )
    document_errors(app)
    _cors_only_with_an_origin(app)
    proxies = [client_address_middleware(settings.trusted_proxy_hops)] if settings.trust_proxy_headers else []
    _wrap_outside_router(
        app,
        [
            *proxies,
            edge_middleware(
                security_headers=security_headers(
                    livekit_url=settings.livekit_url,
                    hsts=not settings.is_development,
                    storage_origin=settings.storage_public_origin,
                    google_sign_in=bool(settings.google_client_id),
                ),
                metrics=metrics,
                limiter=RateLimiter(_hit_counter(settings), limits),
            ),
        ],
    )
    return app


def create_server_app() -> Litestar:
    """The app as a long-running server process runs it (``procus serve``, the dev stack).

    Once started, everything built so far (modules, routes, the pool, the container) lives as long
    as the process, so it is moved out of the garbage collector's generations: full collections
    then scan only what requests allocate, instead of pausing every request in flight for a walk
    over the whole start-up heap. Tests build many apps in one process and use ``create_app``.
    """
    app = create_app()
    app.on_startup.append(gc.freeze)
    return app


def openapi_document() -> str:
    """The OpenAPI document as stable, pretty JSON, built from the routes alone (no database, no server).

    It uses the test environment so that development-only routes never appear, whatever the caller's
    ``APP_ENV``; the SPA's ``frontend/src/api/schema.d.ts`` is generated from exactly this text.
    """
    import msgspec

    app = create_app(msgspec.structs.replace(get_settings(), app_env="test"))
    schema = app.openapi_schema.to_schema()
    return msgspec.json.format(msgspec.json.encode(schema, order="sorted"), indent=2).decode() + "\n"


def _cors_only_with_an_origin(app: Litestar) -> None:
    """Let Litestar's CORS middleware see only requests that carry an ``Origin`` header.

    It reads every request's headers into a case-insensitive multidict to look for ``Origin`` and
    hands requests without one on untouched; scanning the raw header names is several times
    cheaper, and what a cross-origin request gets is unchanged. Only done when the outermost layer
    of Litestar's handler is that middleware (it wraps the router when ``cors_config`` is set).
    """
    cors = app.asgi_handler
    inner: ASGIApp | None = getattr(cors, "app", None)
    if inner is None or getattr(cors, "config", None) is not app.cors_config:
        return

    async def gate(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and not any(name == b"origin" for name, _ in scope["headers"]):
            await inner(scope, receive, send)
        else:
            await cors(scope, receive, send)

    app.asgi_handler = gate


def _wrap_outside_router(app: Litestar, middleware: list[Callable[[ASGIApp], ASGIApp]]) -> None:
    """Install ``middleware`` (outermost first) around the whole ASGI handler.

    Litestar runs its own middleware only for routes that matched; request ids, security headers,
    metrics and rate limits must also cover 404s, 405s and CORS preflights.
    """
    handler: ASGIApp = app.asgi_handler
    for factory in reversed(middleware):
        handler = factory(handler)
    app.asgi_handler = handler
