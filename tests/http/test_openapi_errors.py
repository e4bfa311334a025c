"""The OpenAPI document is the error contract the web app's generated client relies on."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.support.accounts import bearer, register

_PROBLEM = "application/problem+json"


async def _spec(client: AsyncTestClient[Litestar]) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def _operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    found = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                found[operation["operationId"]] = (method, path, operation)
    return found


async def test_every_error_response_is_documented_as_problem_json(client: AsyncTestClient[Litestar]) -> None:
    spec = await _spec(client)
    assert set(spec["components"]["schemas"]["Problem"]["required"]) >= {"type", "title", "status", "code", "detail"}
    for operation_id, (_, _, operation) in _operations(spec).items():
        for status, response in operation["responses"].items():
            if operation_id == "readyz" and status == "503":
                continue  # the readiness report itself, not a problem
            if status.startswith(("4", "5")):
                assert list(response["content"]) == [_PROBLEM], (operation_id, status)
                assert response["content"][_PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
        assert "429" in operation["responses"], operation_id


async def test_signed_in_operations_name_the_bearer_scheme_and_their_refusals(
    client: AsyncTestClient[Litestar],
) -> None:
    spec = await _spec(client)
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    operations = _operations(spec)
    for operation_id in ("getMe", "createBooking", "listPayouts", "suspendUser", "getCallNotes"):
        _, _, operation = operations[operation_id]
        assert operation["security"] == [{"bearerAuth": []}], operation_id
        assert {"401", "403"} <= set(operation["responses"]), operation_id
    # Signing in is optional for the listing: a signed-in client does not see experts a block keeps apart.
    assert operations["listExperts"][2]["security"] == [{"bearerAuth": []}, {}]
    for operation_id in ("listCategories", "login", "healthz"):
        assert "security" not in operations[operation_id][2], operation_id
        assert "401" not in operations[operation_id][2]["responses"] or operation_id == "login"
    assert operations["receivePaystackWebhook"][2]["security"] == [{"paystackSignature": []}]
    assert {"404", "409", "422", "400"} <= set(operations["acceptBooking"][2]["responses"])
    assert {"400", "422"} <= set(operations["register"][2]["responses"])
    assert "409" not in operations["register"][2]["responses"], "a taken email is answered like a new one"
    assert "404" in operations["getBooking"][2]["responses"]
    assert "404" not in operations["listBookings"][2]["responses"]


async def test_answers_the_app_gives_are_the_ones_it_documents(client: AsyncTestClient[Litestar]) -> None:
    spec = await _spec(client)
    operations = _operations(spec)
    client_tokens = await register(client)
    missing = f"/v1/bookings/{uuid.uuid4()}"
    answers = {
        "getMe": await client.get("/v1/me"),
        "getBooking": await client.get(missing, headers=bearer(client_tokens)),
        "listPayouts": await client.get("/v1/payouts", headers=bearer(client_tokens)),
        "createBooking": await client.post("/v1/bookings", content=b"{", headers=bearer(client_tokens)),
        "login": await client.post("/v1/auth/login", json={"email": "nobody@example.com", "password": "x"}),
    }
    for operation_id, response in answers.items():
        assert response.status_code >= 400
        assert response.headers["content-type"] == _PROBLEM, operation_id
        assert str(response.status_code) in operations[operation_id][2]["responses"], (operation_id, response.text)
