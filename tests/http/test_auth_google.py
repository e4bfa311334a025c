"""Google sign-in through our real userinfo client, against a stand-in for Google on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from litestar import Litestar, Request, get
from litestar.exceptions import NotAuthorizedException
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.integrations.google.userinfo import GoogleUserInfo
from procus.store.db import Database
from tests.support.accounts import PASSWORD, bearer, register, unique_email, verify_directly
from tests.support.http_server import serve_in_thread

GOOGLE_ACCOUNTS: dict[str, dict[str, Any]] = {}


@get("/userinfo", sync_to_thread=False)
def userinfo(request: Request[Any, Any, Any]) -> dict[str, Any]:
    token = request.headers.get("authorization", "").removeprefix("Bearer ")
    if token not in GOOGLE_ACCOUNTS:
        raise NotAuthorizedException("invalid token")
    return GOOGLE_ACCOUNTS[token]


@pytest.fixture(scope="module")
def google_url() -> Iterator[str]:
    with serve_in_thread(Litestar([userinfo])) as base:
        yield f"{base}/userinfo"


@pytest.fixture
async def google_client(settings: Settings, db: Database, integrations: Integrations, google_url: str) -> Any:
    app = create_app(settings, msgspec.structs.replace(integrations, google=GoogleUserInfo(google_url)))
    async with AsyncTestClient(app) as client:
        yield client


def _account(token: str, *, email: str, verified: bool = True, name: str = "Grace Hopper") -> None:
    GOOGLE_ACCOUNTS[token] = {"sub": f"sub-{token}", "email": email, "email_verified": verified, "name": name}


async def test_google_creates_an_expert_with_a_profile_and_a_verified_email(google_client: Any, db: Database) -> None:
    email = unique_email("google")
    _account("tok-new", email=email)
    response = await google_client.post("/v1/auth/google", json={"access_token": "tok-new", "role": "expert"})
    assert response.status_code == 200, response.text
    user = response.json()["user"]
    assert (user["email"], user["role"], user["email_verified"], user["full_name"]) == (
        email,
        "expert",
        True,
        "Grace Hopper",
    )
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM expert_profiles WHERE user_id = $1", user["id"]) == 1
    again = await google_client.post("/v1/auth/google", json={"access_token": "tok-new"})
    assert again.json()["user"]["id"] == user["id"]


async def test_google_links_an_existing_account_with_the_same_email(google_client: Any, db: Database) -> None:
    existing = await register(google_client)
    email = existing["user"]["email"]
    _account("tok-link", email=email.upper().replace("@EXAMPLE.COM", "@example.com"))
    response = await google_client.post("/v1/auth/google", json={"access_token": "tok-link"})
    assert response.status_code == 200
    assert response.json()["user"]["id"] == existing["user"]["id"]
    assert response.json()["user"]["email_verified"] is True
    async with db.connection() as conn:
        assert (
            await conn.fetchval("SELECT google_sub FROM users WHERE id = $1", existing["user"]["id"]) == "sub-tok-link"
        )


async def test_google_refuses_bad_tokens_and_unverified_emails(google_client: Any) -> None:
    bad = await google_client.post("/v1/auth/google", json={"access_token": "nope"})
    assert (bad.status_code, bad.json()["code"]) == (401, "google_token_invalid")
    _account("tok-unverified", email=unique_email(), verified=False)
    unverified = await google_client.post("/v1/auth/google", json={"access_token": "tok-unverified"})
    assert (unverified.status_code, unverified.json()["code"]) == (401, "google_email_unverified")


async def test_google_unreachable_is_a_503(settings: Settings, db: Database, integrations: Integrations) -> None:
    from procus_devstack.embedded_postgres import free_port

    unreachable = GoogleUserInfo(f"http://127.0.0.1:{free_port()}/")
    app = create_app(settings, msgspec.structs.replace(integrations, google=unreachable))
    async with AsyncTestClient(app) as client:
        response = await client.post("/v1/auth/google", json={"access_token": "x"})
    assert (response.status_code, response.json()["code"]) == (503, "google_unavailable")


async def test_google_takes_an_unverified_account_back_from_whoever_registered_it(
    google_client: Any, db: Database
) -> None:
    """Account pre-hijack: someone registers the victim's email with their own password; when the
    victim signs in with Google, that password and every session of the squatter stop working."""
    squatter = await register(google_client, password="squatter's password")
    email = squatter["user"]["email"]
    _account("tok-victim", email=email)
    victim = await google_client.post("/v1/auth/google", json={"access_token": "tok-victim"})
    assert victim.status_code == 200
    assert victim.json()["user"]["id"] == squatter["user"]["id"]
    login = await google_client.post("/v1/auth/login", json={"email": email, "password": "squatter's password"})
    assert login.status_code == 401
    me = await google_client.get("/v1/me", headers=bearer(squatter))
    assert (me.status_code, me.json()["code"]) == (401, "session_revoked")
    refresh = await google_client.post("/v1/auth/refresh", json={"refresh_token": squatter["refresh_token"]})
    assert refresh.status_code == 401
    assert (await google_client.get("/v1/me", headers=bearer(victim.json()))).status_code == 200


async def test_google_links_a_verified_account_and_keeps_its_password(google_client: Any, db: Database) -> None:
    owner = await register(google_client)
    await verify_directly(db, owner["user"]["id"])
    _account("tok-owner", email=owner["user"]["email"])
    assert (await google_client.post("/v1/auth/google", json={"access_token": "tok-owner"})).status_code == 200
    login = await google_client.post("/v1/auth/login", json={"email": owner["user"]["email"], "password": PASSWORD})
    assert login.status_code == 200
    assert (await google_client.get("/v1/me", headers=bearer(owner))).status_code == 200


async def test_the_spa_learns_whether_google_sign_in_is_configured(
    settings: Settings, db: Database, integrations: Integrations
) -> None:
    async with AsyncTestClient(create_app(settings, integrations)) as client:
        off = await client.get("/v1/auth/providers")
        assert off.json() == {"google_client_id": None}
        assert "accounts.google.com" not in off.headers["content-security-policy"]
    configured = msgspec.structs.replace(settings, google_client_id="1234-web.apps.googleusercontent.com")
    async with AsyncTestClient(create_app(configured, integrations)) as client:
        on = await client.get("/v1/auth/providers")
        assert on.json() == {"google_client_id": "1234-web.apps.googleusercontent.com"}
        csp = on.headers["content-security-policy"]
        for directive in ("script-src", "connect-src", "frame-src", "style-src"):
            assert "https://accounts.google.com/gsi/" in csp.split(f"{directive} ")[1].split(";")[0], directive
