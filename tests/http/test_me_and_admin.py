from __future__ import annotations

import os
import subprocess
import sys
import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.config import Settings
from procus.store.db import Database
from tests.support.accounts import PASSWORD, bearer, register, unique_email

Client = AsyncTestClient[Litestar]


async def test_me_reads_and_updates_the_profile(client: Client) -> None:
    tokens = await register(client)
    patched = await client.patch(
        "/v1/me",
        json={"full_name": "  Ada   King ", "time_zone": "Africa/Lagos", "locale": "en-GB"},
        headers=bearer(tokens),
    )
    assert patched.status_code == 200
    body = patched.json()
    assert (body["full_name"], body["time_zone"], body["locale"]) == ("Ada King", "Africa/Lagos", "en-GB")
    partial = await client.patch("/v1/me", json={"locale": "fr"}, headers=bearer(tokens))
    assert partial.json()["time_zone"] == "Africa/Lagos"


async def test_me_rejects_an_unknown_time_zone_naming_the_field(client: Client) -> None:
    tokens = await register(client)
    response = await client.patch("/v1/me", json={"time_zone": "Europe/Atlantis"}, headers=bearer(tokens))
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid_time_zone"
    assert problem["errors"] == [{"field": "time_zone", "message": problem["detail"]}]
    unknown_field = await client.patch("/v1/me", json={"role": "admin"}, headers=bearer(tokens))
    assert unknown_field.status_code == 400


def _create_admin(settings: Settings, email: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "PROCUS_ADMIN_PASSWORD": PASSWORD,
        "BCRYPT_COST": "4",
        "APP_ENV": "test",
    }
    result = subprocess.run(
        [sys.executable, "-m", "procus.cli", "create-admin", email],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"admin {email} ready" in result.stdout


async def test_create_admin_command_and_admin_only_routes(client: Client, settings: Settings, db: Database) -> None:
    email = unique_email("admin")
    _create_admin(settings, email)
    admin = (await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})).json()
    assert admin["user"]["role"] == "admin"
    target = await register(client)
    refused = await client.post(f"/v1/admin/users/{admin['user']['id']}/suspend", headers=bearer(target))
    assert (refused.status_code, refused.json()["code"]) == (403, "role_required")

    suspended = await client.post(f"/v1/admin/users/{target['user']['id']}/suspend", headers=bearer(admin))
    assert suspended.status_code == 200
    assert (await client.get("/v1/me", headers=bearer(target))).json()["code"] == "account_suspended"
    async with db.connection() as conn:
        live = await conn.fetchval(
            "SELECT count(*) FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NULL",
            uuid.UUID(target["user"]["id"]),
        )
    assert live == 0
    await client.post(f"/v1/admin/users/{target['user']['id']}/reactivate", headers=bearer(admin))
    back = await client.post("/v1/auth/login", json={"email": target["user"]["email"], "password": PASSWORD})
    assert back.status_code == 200
    missing = await client.post(f"/v1/admin/users/{uuid.uuid4()}/suspend", headers=bearer(admin))
    assert missing.status_code == 404
