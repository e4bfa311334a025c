"""Cross-cutting HTTP behaviour every route relies on: headers, CORS, request ids, logs, metrics, OpenAPI."""

from __future__ import annotations

import json
import logging

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.store.db import Database
from tests.conftest import replace

Client = AsyncTestClient[Litestar]


async def test_security_headers_on_every_response_including_404s(client: Client, settings: Settings) -> None:
    for path in ("/healthz", "/v1/nowhere"):
        headers = (await client.get(path)).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert settings.livekit_url in csp  # the SPA may open the LiveKit websocket, nothing else
        assert f"img-src 'self' data: blob: {settings.storage_public_origin}" in csp  # avatars from S3
        connect = next(part for part in csp.split("; ") if part.startswith("connect-src "))
        assert settings.storage_public_origin in connect.split()  # the browser PUTs avatars to S3
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" in headers  # HSTS everywhere but development


async def test_no_hsts_in_development(settings: Settings, integrations: Integrations, db: Database) -> None:
    async with AsyncTestClient(create_app(replace(settings, app_env="development"), integrations)) as client:
        assert "strict-transport-security" not in (await client.get("/healthz")).headers


async def test_cors_allows_only_the_configured_origins(client: Client, settings: Settings) -> None:
    allowed = settings.cors_origins[0]
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    ok = await client.options("/v1/auth/login", headers={"Origin": allowed, **preflight})
    assert ok.headers.get("access-control-allow-origin") == allowed
    assert ok.headers.get("access-control-allow-credentials") == "true"
    evil = await client.options("/v1/auth/login", headers={"Origin": "https://evil.example", **preflight})
    assert evil.headers.get("access-control-allow-origin") != "https://evil.example"


async def test_cors_headers_go_only_to_requests_with_an_origin(client: Client, settings: Settings) -> None:
    """Requests without ``Origin`` skip the CORS middleware (``create_app``); with one they still get it."""
    cross_origin = await client.get("/v1/categories", headers={"Origin": settings.cors_origins[0]})
    assert cross_origin.headers.get("access-control-allow-origin") == settings.cors_origins[0]
    assert "x-request-id" in cross_origin.headers.get("access-control-expose-headers", "").lower()
    same_origin = await client.get("/v1/categories")
    assert same_origin.status_code == 200
    assert "access-control-allow-origin" not in same_origin.headers


async def test_request_id_is_returned_and_a_sane_incoming_one_is_kept(client: Client) -> None:
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) >= 16
    kept = await client.get("/healthz", headers={"X-Request-ID": "trace-abc-12345"})
    assert kept.headers["x-request-id"] == "trace-abc-12345"
    replaced = await client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert replaced.headers["x-request-id"] != "bad id\twith spaces"
    problem = await client.get("/v1/nowhere", headers={"X-Request-ID": "trace-404-abcdef"})
    assert problem.json()["request_id"] == "trace-404-abcdef"


async def test_log_lines_are_json_and_carry_the_request_id(
    settings: Settings, integrations: Integrations, db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(replace(settings, log_json=True, log_level="INFO"), integrations)
    async with AsyncTestClient(app) as client:
        await client.get("/healthz", headers={"X-Request-ID": "trace-log-123456"})
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    request_lines = [line for line in lines if line.get("msg") == "request"]
    assert request_lines, lines
    assert request_lines[-1]["request_id"] == "trace-log-123456"
    assert request_lines[-1]["path"] == "/healthz"
    assert request_lines[-1]["status"] == 200
    logging.getLogger().handlers.clear()


_METRICS_TOKEN = "metrics-scraper-token-0123456789abcdef"


async def test_metrics_count_requests_by_route_template_and_show_the_pool(
    settings: Settings, integrations: Integrations, db: object
) -> None:
    app = create_app(replace(settings, metrics_token=_METRICS_TOKEN), integrations)
    async with AsyncTestClient(app) as client:
        await client.get("/healthz")
        await client.get("/v1/experts/00000000-0000-0000-0000-000000000000")
        text = (await client.get("/metrics", headers={"Authorization": f"Bearer {_METRICS_TOKEN}"})).text
    assert 'procus_http_requests_total{method="GET",route="/healthz",status="200"}' in text
    assert "/v1/experts/{expert_id" in text, [line for line in text.splitlines() if "v1/experts" in line]
    assert "procus_http_request_duration_seconds_bucket" in text
    assert "procus_db_pool_connections_in_use" in text
    assert "procus_db_pool_waiting 0.0" in text


async def test_metrics_answer_only_the_bearer_of_the_metrics_token(
    settings: Settings, integrations: Integrations, db: object
) -> None:
    app = create_app(replace(settings, metrics_token=_METRICS_TOKEN), integrations)
    async with AsyncTestClient(app) as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": _METRICS_TOKEN}):
            refused = await client.get("/metrics", headers=headers)
            assert refused.status_code == 401, headers
            assert refused.headers["content-type"] == "application/problem+json"
            assert "procus_http" not in refused.text


async def test_metrics_are_not_served_without_a_token_outside_development(client: Client) -> None:
    assert (await client.get("/metrics")).status_code == 404


async def test_openapi_names_every_operation(client: Client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    operations = [op for path in schema["paths"].values() for op in path.values() if isinstance(op, dict)]
    assert len(operations) > 40
    missing = [op.get("summary") for op in operations if not op.get("operationId")]
    assert missing == []
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    assert (await client.get("/schema")).status_code == 200
