"""POST /v1/experts/me/profile: a signed-in client starts offering consultations."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.http.test_expert_self_api import as_admin
from tests.support.accounts import bearer, register, verify_directly

Client = AsyncTestClient[Litestar]


async def test_a_client_becomes_an_expert_awaiting_approval(client: Client, db: Database) -> None:
    tokens = await register(client, full_name="Kofi Mensah", time_zone="Africa/Accra")
    await verify_directly(db, tokens["user"]["id"])
    me = bearer(tokens)
    assert (await client.get("/v1/experts/me/profile", headers=me)).status_code == 403

    started = await client.post("/v1/experts/me/profile", json={"time_zone": "Africa/Lagos"}, headers=me)
    assert started.status_code == 200, started.text
    profile = started.json()
    assert (profile["approval"], profile["listed"], profile["time_zone"]) == ("pending", False, "Africa/Lagos")
    assert (await client.get("/v1/me", headers=me)).json()["role"] == "expert"
    again = await client.post("/v1/experts/me/profile", headers=me)
    assert (again.status_code, again.json()["time_zone"]) == (200, "Africa/Lagos")
    area = await client.post(
        "/v1/experts/me/areas",
        json={
            "title": "Cocoa export",
            "category": "business",
            "price": {"amount": 20_000_00, "currency": "NGN"},
            "duration_minutes": 30,
        },
        headers=me,
    )
    assert area.status_code == 201, area.text

    other = bearer(await register(client, time_zone="Europe/Paris"))
    defaulted = await client.post("/v1/experts/me/profile", headers=other)
    assert defaulted.json()["time_zone"] == "Europe/Paris"
    bad_zone = await client.post(
        "/v1/experts/me/profile", json={"time_zone": "Mars/Base"}, headers=bearer(await register(client))
    )
    assert (bad_zone.status_code, bad_zone.json()["code"]) == (422, "invalid_time_zone")
    admin = await as_admin(client, db)
    refused = await client.post("/v1/experts/me/profile", headers=admin)
    assert (refused.status_code, refused.json()["code"]) == (409, "admin_cannot_be_expert")
