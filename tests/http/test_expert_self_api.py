"""The expert's own API: profile, areas and availability over HTTP, and admin approval."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.accounts import bearer, register, verify_directly

Client = AsyncTestClient[Litestar]

WEEK = {
    "time_zone": "Africa/Lagos",
    "rules": [
        {"weekday": 0, "start": "09:00", "end": "12:00"},
        {"weekday": 0, "start": "13:00", "end": "17:30"},
        {"weekday": 6, "start": "22:00", "end": "24:00"},
    ],
    "overrides": [
        {"date": "2027-01-01", "kind": "replace"},
        {"date": "2027-01-04", "kind": "unavailable", "ranges": [{"start": "09:00", "end": "10:00"}]},
    ],
    "settings": {"min_notice_minutes": 60, "buffer_after_minutes": 15},
}


async def as_admin(client: Client, db: Database) -> dict[str, str]:
    tokens = await register(client)
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1", uuid.UUID(tokens["user"]["id"]))
    return bearer(tokens)


async def test_expert_builds_a_profile_areas_and_hours_then_gets_listed(client: Client, db: Database) -> None:
    tokens = await register(client, role="expert", full_name="Funke Akindele", time_zone="Africa/Lagos")
    me = bearer(tokens)
    expert_id = tokens["user"]["id"]
    await verify_directly(db, expert_id)
    profile = await client.patch(
        "/v1/experts/me/profile",
        json={"headline": "Film producer", "bio": "Twenty years on set.", "languages": ["en", "YO"], "published": True},
        headers=me,
    )
    assert profile.status_code == 200, profile.text
    assert profile.json()["languages"] == ["en", "yo"]
    assert (profile.json()["approval"], profile.json()["listed"]) == ("pending", False)

    created = await client.post(
        "/v1/experts/me/areas",
        json={
            "title": "Pitch review",
            "category": "business",
            "price": {"amount": 25_000_00, "currency": "NGN"},
            "duration_minutes": 45,
            "description": "Bring your deck.",
        },
        headers=me,
    )
    assert created.status_code == 201, created.text
    area = created.json()
    assert (area["price"], area["duration_minutes"], area["active"]) == (
        {"amount": 25_000_00, "currency": "NGN"},
        45,
        True,
    )

    saved = await client.put("/v1/experts/me/availability", json=WEEK, headers=me)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["rules"] == WEEK["rules"]
    assert body["overrides"][0] == {"date": "2027-01-01", "kind": "replace", "ranges": []}
    assert body["settings"] == {
        "min_notice_minutes": 60,
        "horizon_days": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "slot_step_minutes": 15,
    }
    assert (await client.get("/v1/experts/me/availability", headers=me)).json() == body

    assert (await client.get(f"/v1/experts/{expert_id}")).status_code == 404
    admin = await as_admin(client, db)
    decided = await client.post(f"/v1/admin/experts/{expert_id}/approval", json={"status": "approved"}, headers=admin)
    assert decided.status_code == 200, decided.text
    assert decided.json()["listed"] is True

    public = await client.get(f"/v1/experts/{expert_id}")
    assert public.status_code == 200
    assert "email" not in public.text
    assert tokens["user"]["email"] not in public.text
    assert [a["title"] for a in public.json()["areas"]] == ["Pitch review"]
    listing = (await client.get("/v1/experts", params={"q": "producer"})).json()
    assert [item["id"] for item in listing["items"]] == [expert_id]
    assert listing["items"][0]["from_price"] == {"amount": 25_000_00, "currency": "NGN"}
    assert "email" not in str(listing)


async def test_availability_errors_name_the_api_field(client: Client) -> None:
    me = bearer(await register(client, role="expert"))

    async def put(body: dict[str, Any]) -> tuple[int, Any]:
        response = await client.put("/v1/experts/me/availability", json=body, headers=me)
        problem = response.json()
        return response.status_code, (problem.get("code"), [e["field"] for e in problem.get("errors", [])])

    overlapping = {
        "rules": [
            {"weekday": 1, "start": "09:00", "end": "12:00"},
            {"weekday": 2, "start": "09:00", "end": "12:00"},
            {"weekday": 1, "start": "11:00", "end": "13:00"},
        ]
    }
    assert await put(overlapping) == (422, ("overlapping_ranges", ["rules[2]"]))
    backwards = {
        "rules": [{"weekday": 1, "start": "09:00", "end": "12:00"}, {"weekday": 1, "start": "13:00", "end": "12:30"}]
    }
    assert await put(backwards) == (422, ("empty_time_range", ["rules[1].end"]))
    off_grid = {
        "overrides": [{"date": "2027-02-01", "kind": "replace", "ranges": [{"start": "09:10", "end": "10:00"}]}]
    }
    assert await put(off_grid) == (422, ("invalid_time", ["overrides[0].ranges[0].start"]))
    assert await put({"time_zone": "Lagos"}) == (422, ("invalid_time_zone", ["time_zone"]))
    assert await put({"settings": {"slot_step_minutes": 20}}) == (
        422,
        ("invalid_slot_step", ["settings.slot_step_minutes"]),
    )
    malformed = await put({"rules": [{"weekday": 1, "start": "9am", "end": "12:00"}]})
    assert malformed == (400, ("validation_failed", ["rules[0].start"]))
    assert (await client.get("/v1/experts/me/availability", headers=me)).json()["rules"] == []


async def test_areas_belong_to_their_expert(client: Client, db: Database) -> None:
    owner_tokens = await register(client, role="expert")
    await verify_directly(db, owner_tokens["user"]["id"])
    owner = bearer(owner_tokens)
    other = bearer(await register(client, role="expert"))
    client_user = bearer(await register(client))
    body = {
        "title": "Tax returns",
        "category": "finance",
        "price": {"amount": 5000, "currency": "NGN"},
        "duration_minutes": 30,
    }
    area_id = (await client.post("/v1/experts/me/areas", json=body, headers=owner)).json()["id"]

    assert (
        await client.patch(f"/v1/experts/me/areas/{area_id}", json={"title": "Mine"}, headers=other)
    ).status_code == 404
    assert (await client.delete(f"/v1/experts/me/areas/{area_id}", headers=other)).status_code == 404
    forbidden = await client.get("/v1/experts/me/areas", headers=client_user)
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "role_required")
    assert (await client.get("/v1/experts/me/profile")).status_code == 401

    invalid = await client.post("/v1/experts/me/areas", json={**body, "duration_minutes": 50}, headers=owner)
    assert (invalid.status_code, invalid.json()["errors"][0]["field"]) == (422, "duration_minutes")
    repriced = await client.patch(f"/v1/experts/me/areas/{area_id}", json={"price": {"amount": 7500}}, headers=owner)
    assert repriced.json()["price"] == {"amount": 7500, "currency": "NGN"}
    assert (await client.delete(f"/v1/experts/me/areas/{area_id}", headers=owner)).status_code == 204
    assert [a["active"] for a in (await client.get("/v1/experts/me/areas", headers=owner)).json()] == [False]


async def test_only_admins_decide_approval(client: Client, db: Database) -> None:
    expert = await register(client, role="expert")
    refused = await client.post(
        f"/v1/admin/experts/{expert['user']['id']}/approval", json={"status": "approved"}, headers=bearer(expert)
    )
    assert refused.status_code == 403
    admin = await as_admin(client, db)
    unknown = await client.post(
        f"/v1/admin/experts/{uuid.uuid4()}/approval", json={"status": "approved"}, headers=admin
    )
    assert unknown.status_code == 404
    bad = await client.post(
        f"/v1/admin/experts/{expert['user']['id']}/approval", json={"status": "pending"}, headers=admin
    )
    assert bad.status_code == 400
    rejected = await client.post(
        f"/v1/admin/experts/{expert['user']['id']}/approval",
        json={"status": "rejected", "reason": "Add credentials"},
        headers=admin,
    )
    assert (rejected.json()["approval"], rejected.json()["approval_reason"]) == ("rejected", "Add credentials")
    own = (await client.get("/v1/experts/me/profile", headers=bearer(expert))).json()
    assert own["approval_reason"] == "Add credentials"


async def test_an_expert_offers_areas_only_once_their_email_is_verified(client: Client, db: Database) -> None:
    tokens = await register(client, role="expert")
    area = {"title": "Pitch review", "category": "business", "price": {"amount": 5_000_00, "currency": "NGN"}}
    refused = await client.post("/v1/experts/me/areas", json=area | {"duration_minutes": 30}, headers=bearer(tokens))
    assert (refused.status_code, refused.json()["code"]) == (403, "email_not_verified")
    listed = await client.get("/v1/experts/me/areas", headers=bearer(tokens))
    assert listed.json() == []

    await verify_directly(db, tokens["user"]["id"])
    created = await client.post("/v1/experts/me/areas", json=area | {"duration_minutes": 30}, headers=bearer(tokens))
    assert created.status_code == 201, created.text
