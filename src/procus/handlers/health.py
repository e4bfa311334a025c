"""Liveness and readiness probes."""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, get
from litestar.openapi import ResponseSpec

from procus.services.health import Readiness, ReadinessService

__all__ = ["HealthController"]


class Liveness(msgspec.Struct, frozen=True):
    status: str


class HealthController(Controller):
    tags = ["health"]

    @get("/healthz", operation_id="healthz", summary="The process is up")
    async def healthz(self) -> Liveness:
        return Liveness(status="ok")

    @get(
        "/readyz",
        operation_id="readyz",
        summary="Database reachable and migrations current",
        responses={503: ResponseSpec(Readiness, description="Not ready: the database is unreachable or behind")},
    )
    async def readyz(self, readiness_service: ReadinessService) -> Response[Readiness]:
        readiness = await readiness_service.check()
        return Response(readiness, status_code=200 if readiness.ready else 503)
