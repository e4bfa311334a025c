"""Prometheus metrics: requests by route template and status, latency, and the DB pool's use.

Each app owns its registry, so several apps in one process (tests) never collide.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from procus.domain.errors import AuthenticationFailed

__all__ = ["Metrics", "PoolStats"]


class PoolStats(NamedTuple):
    in_use: int
    size: int
    waiting: int


class _PoolCollector(Collector):
    def __init__(self, pool_stats: Callable[[], PoolStats | None]) -> None:
        self._pool_stats = pool_stats

    def collect(self) -> Iterator[GaugeMetricFamily]:
        stats = self._pool_stats()
        in_use = GaugeMetricFamily("procus_db_pool_connections_in_use", "DB connections checked out")
        size = GaugeMetricFamily("procus_db_pool_connections", "DB connections open")
        waiting = GaugeMetricFamily("procus_db_pool_waiting", "Requests queued for a DB connection")
        if stats is not None:
            in_use.add_metric([], stats.in_use)
            size.add_metric([], stats.size)
            waiting.add_metric([], stats.waiting)
        yield in_use
        yield size
        yield waiting


class Metrics:
    def __init__(self, pool_stats: Callable[[], PoolStats | None]) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "procus_http_requests",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "procus_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.registry.register(_PoolCollector(pool_stats))
        self._children: dict[tuple[str, str | None, int], tuple[Any, Any]] = {}

    def _series(self, method: str, template: str | None, status: int) -> tuple[Any, Any]:
        """The request counter's and latency histogram's series for these labels, looked up once
        (``labels()`` validates and locks on every call: a few microseconds per request saved)."""
        key = (method, template, status)
        found = self._children.get(key)
        if found is None:
            route = template or "<unmatched>"
            found = self._children[key] = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
        return found

    def record(self, method: str, template: str | None, status: int, seconds: float) -> None:
        """Count one answered request and its latency (``edge`` calls this for every HTTP request)."""
        counted, timed = self._series(method, template, status)
        counted.inc()
        timed.observe(seconds)

    def handler(self, token: str) -> HTTPRouteHandler:
        """``/metrics`` for the scraper holding ``token`` (``Authorization: Bearer``); with no token,
        open to anyone, which only development mounts (see ``create_app``)."""
        registry = self.registry
        expected = f"Bearer {token}".encode()

        @get("/metrics", operation_id="metrics", include_in_schema=False, sync_to_thread=False)
        def metrics(request: Request[Any, Any, Any]) -> Response[bytes]:
            presented = request.headers.get("authorization", "").encode()
            if token and not hmac.compare_digest(presented, expected):
                raise AuthenticationFailed("metrics_token_required", "Send the metrics token as a bearer token")
            return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

        return metrics
