from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.accounts import PASSWORD, bearer, queued_emails, register, unique_email
from tests.support.fakes import FakeClock

Client = AsyncTestClient[Litestar]


async def test_register_answers_202_without_a_session_and_mails_a_verification_link(
    client: Client, db: Database
) -> None:
    email = unique_email()
    response = await client.post(
        "/v1/auth/register", json={"email": email, "password": PASSWORD, "full_name": "Ada", "role": "client"}
    )
    assert response.status_code == 202
    assert response.json() == {"email": email, "next_step": "check_email"}
    assert "set-cookie" not in response.headers
    assert len(await queued_emails(db, "email_verification", email)) == 1


async def test_signing_in_after_registering_sets_the_refresh_cookie(client: Client) -> None:
    email = unique_email()
    await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD, "full_name": "Ada"})
    response = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["email"] == email
    assert body["user"]["role"] == "client"
    assert body["user"]["email_verified"] is False
    assert body["token_type"] == "bearer"
    assert 0 < body["expires_in"] <= 15 * 60
    cookie = response.headers["set-cookie"]
    assert f"procus_refresh={body['refresh_token']}" in cookie
    assert "HttpOnly" in cookie
    assert "Path=/v1/auth" in cookie
    assert "SameSite=lax" in cookie.replace("SameSite=Lax", "SameSite=lax")
    assert "Secure" in cookie  # secure everywhere but development


async def test_an_expert_gets_an_empty_profile_in_the_same_transaction(client: Client, db: Database) -> None:
    body = await register(client, role="expert")
    async with db.connection() as conn:
        profile = await conn.fetchrow("SELECT * FROM expert_profiles WHERE user_id = $1", body["user"]["id"])
    assert profile is not None
    assert profile["headline"] == ""
    assert profile["approval"] == "pending"


async def test_an_existing_email_answers_as_a_new_one_and_mails_its_owner(client: Client, db: Database) -> None:
    """No account enumeration: the same status, body and headers as a new registration; the owner
    is told instead, and the account (its password, name, sessions) is left as it was."""
    email = unique_email()
    owner = await register(client, email=email)
    fresh = await client.post(
        "/v1/auth/register", json={"email": unique_email(), "password": PASSWORD, "full_name": "B"}
    )
    taken = await client.post(
        "/v1/auth/register",
        json={
            "email": email.upper().replace("@EXAMPLE.COM", "@example.com"),
            "password": "another password",
            "full_name": "B",
        },
    )
    assert taken.status_code == fresh.status_code == 202
    assert taken.json().keys() == fresh.json().keys()
    assert sorted(taken.headers.keys()) == sorted(fresh.headers.keys())
    [note] = await queued_emails(db, "registration_attempt", email)
    assert note["context"]["sign_in_url"].endswith("/sign-in")
    assert note["context"]["reset_url"].endswith("/forgot-password")
    assert len(await queued_emails(db, "email_verification", email)) == 1  # only the first registration's
    me = await client.get("/v1/me", headers=bearer(owner))
    assert me.status_code == 200
    assert me.json()["full_name"] == "Ada Lovelace"
    old_password = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert old_password.status_code == 200
    new_password = await client.post("/v1/auth/login", json={"email": email, "password": "another password"})
    assert new_password.status_code == 401


async def test_repeated_attempts_on_a_taken_email_mail_its_owner_once_per_cooldown(
    client: Client, db: Database, clock: FakeClock
) -> None:
    email = (await register(client))["user"]["email"]
    for _ in range(5):
        again = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD, "full_name": "B"})
        assert again.status_code == 202
    assert len(await queued_emails(db, "registration_attempt", email)) == 1
    clock.advance(minutes=6)
    await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD, "full_name": "B"})
    assert len(await queued_emails(db, "registration_attempt", email)) == 2


@pytest.mark.parametrize(
    ("password", "code"),
    [("short", "password_too_short"), ("é" * 40, "password_too_long"), ("x" * 73, "password_too_long")],
)
async def test_password_rules(client: Client, password: str, code: str) -> None:
    response = await client.post(
        "/v1/auth/register", json={"email": unique_email(), "password": password, "full_name": "A"}
    )
    assert response.status_code == 422
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == code
    assert problem["errors"][0]["field"] == "password"


async def test_admin_role_cannot_be_self_registered(client: Client) -> None:
    response = await client.post(
        "/v1/auth/register", json={"email": unique_email(), "password": PASSWORD, "full_name": "A", "role": "admin"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "role"


async def test_malformed_body_is_a_400_problem_naming_the_field(client: Client) -> None:
    response = await client.post("/v1/auth/register", json={"email": 5, "password": PASSWORD, "full_name": "A"})
    assert response.status_code == 400
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["code"] == "validation_failed"
    assert problem["status"] == 400
    assert [e["field"] for e in problem["errors"]] == ["email"]
    assert "email" in problem["detail"]


async def test_missing_field_and_broken_json_are_400s_not_500s(client: Client) -> None:
    missing = await client.post("/v1/auth/register", json={"password": PASSWORD, "full_name": "A"})
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "email"
    broken = await client.post(
        "/v1/auth/login", content=b'{"email": "a@b.co", "pass', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json()["code"] == "malformed_body"


async def test_invalid_time_zone_is_rejected_at_registration(client: Client) -> None:
    response = await client.post(
        "/v1/auth/register",
        json={"email": unique_email(), "password": PASSWORD, "full_name": "A", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_time_zone"


async def test_login_returns_tokens_that_authenticate(client: Client) -> None:
    registered = await register(client)
    email = registered["user"]["email"]
    response = await client.post("/v1/auth/login", json={"email": email.upper(), "password": PASSWORD})
    assert response.status_code == 200
    me = await client.get("/v1/me", headers=bearer(response.json()))
    assert me.status_code == 200
    assert me.json()["email"] == email


async def test_unknown_email_and_wrong_password_look_the_same(client: Client) -> None:
    registered = await register(client)
    wrong = await client.post("/v1/auth/login", json={"email": registered["user"]["email"], "password": "x" * 12})
    unknown = await client.post("/v1/auth/login", json={"email": unique_email(), "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 401
    strip = {"instance", "request_id"}
    assert {k: v for k, v in wrong.json().items() if k not in strip} == {
        k: v for k, v in unknown.json().items() if k not in strip
    }
    assert wrong.json()["code"] == "invalid_credentials"
