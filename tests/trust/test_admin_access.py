"""Every admin route: 401 problem+json to anonymous callers, 403 problem+json to signed-in non-admins,
and the audit trail cannot be changed by the app's own database role."""

from __future__ import annotations

import re
import uuid

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.bookings import http_user

Client = AsyncTestClient[Litestar]
_PARAM = re.compile(r"\{[^}]+\}")


def _admin_routes(app: Litestar) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if not route.path.startswith("/v1/admin"):
            continue
        for method in sorted(getattr(route, "methods", ())):
            if method not in ("HEAD", "OPTIONS"):
                found.append((method, _PARAM.sub(str(uuid.uuid4()), route.path_format)))
    return found


async def test_every_admin_route_refuses_anonymous_and_non_admin_callers(
    app: Litestar, client: Client, db: Database
) -> None:
    routes = _admin_routes(app)
    assert len(routes) >= 25, routes
    _, client_headers = await http_user(client, db)
    _, expert_headers = await http_user(client, db, role="expert")
    for method, path in routes:
        anonymous = await client.request(method, path, json={})
        assert anonymous.status_code == 401, (method, path, anonymous.text)
        assert anonymous.headers["content-type"].startswith("application/problem+json")
        for headers in (client_headers, expert_headers):
            refused = await client.request(method, path, json={}, headers=headers)
            assert refused.status_code == 403, (method, path, refused.text)
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["code"] == "role_required"


async def test_the_audit_trail_refuses_updates_and_deletes(db: Database) -> None:
    async with db.transaction() as tx:
        admin_id = await tx.fetchval(
            "INSERT INTO users (email, full_name, role) VALUES ($1, 'A', 'admin') RETURNING id",
            f"audit-{uuid.uuid4().hex[:8]}@example.com",
        )
        await tx.execute(
            "INSERT INTO admin_audit (admin_id, action, target_type, target_id, at) VALUES ($1, 'user.suspend',"
            " 'user', 'x', now())",
            admin_id,
        )
    async with db.connection() as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("UPDATE admin_audit SET reason = 'rewritten'")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("DELETE FROM admin_audit")
        assert await conn.fetchval("SELECT count(*) FROM admin_audit WHERE reason IS NULL") == 1


async def test_the_new_operations_document_their_errors(client: Client) -> None:
    spec = (await client.get("/schema/openapi.json")).json()
    operations = {
        op["operationId"]: op
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }
    expected = {
        "createReview": {"401", "403", "404", "409", "422"},
        "hideReview": {"401", "403", "404", "409", "422"},
        "listAdminAudit": {"401", "403", "422"},
        "blockUser": {"401", "403", "404", "409", "422"},
        "forceCancelBooking": {"401", "403", "404", "409", "422"},
        "refundCompletedBooking": {"401", "403", "404", "409", "422"},
        "getPlatformStats": {"400", "401", "403", "422"},
        "openDispute": {"401", "403", "404", "409", "422"},
        "resolveDispute": {"401", "403", "404", "409", "422"},
        "getCalendarFeed": {"404"},
        "listFavorites": {"401", "403"},
    }
    for operation_id, statuses in expected.items():
        responses = operations[operation_id]["responses"]
        assert statuses <= set(responses), (operation_id, sorted(responses))
        for status in statuses:
            assert list(responses[status]["content"]) == ["application/problem+json"], (operation_id, status)
    admin_ops = [op for path, item in spec["paths"].items() if path.startswith("/v1/admin") for op in item.values()]
    assert all(op["security"] == [{"bearerAuth": []}] for op in admin_ops if isinstance(op, dict) and "security" in op)
    assert all({"401", "403"} <= set(op["responses"]) for op in admin_ops if isinstance(op, dict) and "responses" in op)
