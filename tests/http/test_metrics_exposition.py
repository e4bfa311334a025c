"""The request metrics, kept in plain numbers, are exposed exactly as prometheus_client's own
``Counter`` and ``Histogram`` would expose the same requests (creation times aside)."""

from __future__ import annotations

import re

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

from procus.app.metrics import Metrics

REQUESTS = [
    ("GET", "/v1/experts/{expert_id:uuid}/slots", 200, 0.003),
    ("GET", "/v1/experts/{expert_id:uuid}/slots", 200, 0.3),
    ("GET", "/v1/experts/{expert_id:uuid}/slots", 404, 0.005),
    ("GET", "/v1/experts/{expert_id:uuid}/slots", 200, 0.01),
    ("POST", None, 404, 12.0),
    ("GET", "/healthz", 200, 0.0),
]


def _lines(registry: CollectorRegistry) -> list[str]:
    text = generate_latest(registry).decode()
    return sorted(
        re.sub(r"(_created\{.*\}) \S+$", r"\1 <time>", line) for line in text.splitlines() if "db_pool" not in line
    )


def test_request_metrics_read_as_prometheus_clients_own() -> None:
    reference = CollectorRegistry()
    requests = Counter(
        "procus_http_requests", "HTTP requests by route and status", ["method", "route", "status"], registry=reference
    )
    latency = Histogram(
        "procus_http_request_duration_seconds",
        "HTTP request latency",
        ["method", "route"],
        buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        registry=reference,
    )
    metrics = Metrics(lambda: None)
    for method, template, status, seconds in REQUESTS:
        requests.labels(method, template or "<unmatched>", str(status)).inc()
        latency.labels(method, template or "<unmatched>").observe(seconds)
        metrics.record(method, template, status, seconds)
    assert _lines(metrics.registry) == _lines(reference)
