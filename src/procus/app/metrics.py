"""Prometheus metrics: requests by route template and status, latency, and the DB pool's use.

Each app owns its registry, so several apps in one process (tests) never collide.
"""

from __future__ import annotations

import bisect
import hmac
import itertools
import time
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from litestar import Request, Response, get
from litestar.handlers import HTTPRouteHandler
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample

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


_LATENCY_BOUNDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_BUCKET_LABELS = (*(repr(bound) for bound in _LATENCY_BOUNDS), "+Inf")
"""The ``le`` label of each bucket, written as prometheus_client writes it."""


class _Count:
    __slots__ = ("count", "created")

    def __init__(self) -> None:
        self.count = 0
        self.created = time.time()


class _Latency:
    """One (method, route)'s latency histogram: observations per bucket (the last is +Inf), their sum."""

    __slots__ = ("counts", "created", "total")

    def __init__(self) -> None:
        self.counts = [0] * len(_BUCKET_LABELS)
        self.total = 0.0
        self.created = time.time()


class _RequestCollector(Collector):
    """Requests counted and timed in plain Python numbers, exposed as Prometheus families when scraped.

    Every request records into these; prometheus_client's own ``Counter`` and ``Histogram`` take a
    lock per increment, which cost several microseconds of each request (``bench/slots_profile.py``).
    Requests are recorded and scraped on the event loop's one thread, so nothing interleaves.
    """

    def __init__(self) -> None:
        self.series: dict[tuple[str, str | None, int], tuple[_Count, _Latency]] = {}
        self._requests: dict[tuple[str, str, str], _Count] = {}
        self._latencies: dict[tuple[str, str], _Latency] = {}

    def add(self, method: str, template: str | None, status: int) -> tuple[_Count, _Latency]:
        """The series of a (method, route template, status) not seen before."""
        route = template or "<unmatched>"
        counted = self._requests.setdefault((method, route, str(status)), _Count())
        timed = self._latencies.setdefault((method, route), _Latency())
        found = self.series[(method, template, status)] = (counted, timed)
        return found

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(
            "procus_http_requests", "HTTP requests by route and status", labels=["method", "route", "status"]
        )
        for request_labels, counted in self._requests.items():
            requests.add_metric(request_labels, counted.count, created=counted.created)
        latency = HistogramMetricFamily(
            "procus_http_request_duration_seconds", "HTTP request latency", labels=["method", "route"]
        )
        for (method, route), timed in self._latencies.items():
            buckets = list(zip(_BUCKET_LABELS, itertools.accumulate(timed.counts), strict=True))
            latency.add_metric([method, route], buckets, timed.total)
            latency.samples.append(Sample(f"{latency.name}_created", {"method": method, "route": route}, timed.created))
        yield requests
        yield latency


class Metrics:
    def __init__(self, pool_stats: Callable[[], PoolStats | None]) -> None:
        self.registry = CollectorRegistry()
        self._requests = _RequestCollector()
        self.registry.register(self._requests)
        self.registry.register(_PoolCollector(pool_stats))

    def record(self, method: str, template: str | None, status: int, seconds: float) -> None:
        """Count one answered request and its latency (``edge`` calls this for every HTTP request)."""
        found = self._requests.series.get((method, template, status)) or self._requests.add(method, template, status)
        counted, timed = found
        counted.count += 1
        timed.counts[bisect.bisect_left(_LATENCY_BOUNDS, seconds)] += 1
        timed.total += seconds

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
