"""The error map, case by case: every kind of error becomes problem+json with a stable code."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar, get
from litestar.testing import AsyncTestClient

from procus.app.problems import exception_handlers
from procus.domain import errors


def _raising(exc: Exception) -> Any:
    @get("/boom", sync_to_thread=False)
    def boom() -> None:
        raise exc

    return boom


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (errors.InvalidInput("bad_thing", "no", field="x"), 422, "bad_thing"),
        (errors.AuthenticationFailed("who"), 401, "who"),
        (errors.PermissionDenied("nope"), 403, "nope"),
        (errors.PreconditionFailed("email_not_verified"), 403, "email_not_verified"),
        (errors.NotFound("gone_missing"), 404, "gone_missing"),
        (errors.Conflict("slot_taken", "taken", status="confirmed"), 409, "slot_taken"),
        (errors.Gone("expired"), 410, "expired"),
        (errors.RateLimited("slow_down", retry_after=7), 429, "slow_down"),
        (errors.ServiceUnavailable("video_unavailable"), 503, "video_unavailable"),
        (RuntimeError("secret internals /etc/passwd"), 500, "internal_error"),
    ],
)
async def test_each_kind_of_error_maps_to_its_status_and_code(exc: Exception, status: int, code: str) -> None:
    app = Litestar([_raising(exc)], exception_handlers=exception_handlers, logging_config=None)
    async with AsyncTestClient(app) as client:
        response = await client.get("/boom")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status  # an extra named "status" never overrides the real one
    assert body["code"] == code
    assert body["type"] == f"urn:procus:problem:{code}"
    assert "Traceback" not in response.text
    assert "passwd" not in response.text
    if status == 429:
        assert response.headers["retry-after"] == "7"
    if status == 422:
        assert body["errors"] == [{"field": "x", "message": "no"}]
