from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import uuid

import jwt
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.config import Settings
from procus.store.db import Database
from tests.support.accounts import PASSWORD, bearer, register
from tests.support.fakes import FakeClock

Client = AsyncTestClient[Litestar]


async def _refresh(client: Client, token: str) -> tuple[int, dict[str, object]]:
    response = await client.post("/v1/auth/refresh", json={"refresh_token": token})
    return response.status_code, response.json()


async def test_refresh_rotates_the_pair(client: Client) -> None:
    tokens = await register(client)
    status, renewed = await _refresh(client, tokens["refresh_token"])
    assert status == 200
    assert renewed["refresh_token"] != tokens["refresh_token"]
    assert renewed["session_id"] == tokens["session_id"]
    assert (await client.get("/v1/me", headers=bearer(renewed))).status_code == 200


async def test_refresh_reads_the_cookie_when_the_body_has_no_token(client: Client) -> None:
    tokens = await register(client)
    response = await client.post("/v1/auth/refresh", headers={"Cookie": f"procus_refresh={tokens['refresh_token']}"})
    assert response.status_code == 200
    assert "procus_refresh=" in response.headers["set-cookie"]


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_session(
    client: Client, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    tokens = await register(client)
    _, renewed = await _refresh(client, tokens["refresh_token"])
    clock.advance(seconds=31)  # past the grace window for tabs refreshing at once
    status, problem = await _refresh(client, tokens["refresh_token"])
    assert status == 401
    assert problem["code"] == "refresh_token_reused"
    assert any("refresh token reuse" in r.getMessage() for r in caplog.records)
    status, problem = await _refresh(client, str(renewed["refresh_token"]))
    assert status == 401
    assert problem["code"] == "session_revoked"
    me = await client.get("/v1/me", headers=bearer(renewed))
    assert me.status_code == 401
    assert me.json()["code"] == "session_revoked"


async def test_concurrent_refreshes_with_one_token_all_get_the_same_successor(client: Client) -> None:
    """Several tabs refreshing at once with the shared cookie must not sign the user out."""
    tokens = await register(client)
    results = await asyncio.gather(*(_refresh(client, tokens["refresh_token"]) for _ in range(8)))
    assert [status for status, _ in results] == [200] * 8
    successors = {body["refresh_token"] for _, body in results}
    assert len(successors) == 1
    assert successors != {tokens["refresh_token"]}
    status, renewed = await _refresh(client, str(successors.pop()))
    assert status == 200
    assert (await client.get("/v1/me", headers=bearer(renewed))).status_code == 200


async def test_a_rotated_token_presented_in_the_grace_window_after_its_successor_moved_on_is_reuse(
    client: Client,
) -> None:
    tokens = await register(client)
    _, second = await _refresh(client, tokens["refresh_token"])
    assert (await _refresh(client, str(second["refresh_token"])))[0] == 200
    status, problem = await _refresh(client, tokens["refresh_token"])
    assert (status, problem["code"]) == (401, "refresh_token_reused")


_FOREIGN = {"Origin": "https://evil.example"}


async def test_cookie_authenticated_refresh_and_logout_refuse_a_foreign_origin(client: Client) -> None:
    tokens = await register(client)
    cookie = {"Cookie": f"procus_refresh={tokens['refresh_token']}"}
    for path in ("/v1/auth/refresh", "/v1/auth/logout"):
        for headers in (_FOREIGN, {"Sec-Fetch-Site": "cross-site"}):
            refused = await client.post(path, headers={**cookie, **headers})
            assert (refused.status_code, refused.json()["code"]) == (403, "origin_not_allowed"), (path, headers)
    assert (await client.get("/v1/me", headers=bearer(tokens))).status_code == 200  # nothing happened
    same_site = {"Origin": "http://127.0.0.1:8000", "Sec-Fetch-Site": "same-origin"}
    assert (await client.post("/v1/auth/refresh", headers={**cookie, **same_site})).status_code == 200


async def test_browsers_get_the_refresh_token_only_as_the_http_only_cookie(client: Client) -> None:
    tokens = await register(client)
    login = {"email": tokens["user"]["email"], "password": PASSWORD}
    browser = await client.post("/v1/auth/login", json=login, headers={"Origin": "http://127.0.0.1:8000"})
    assert browser.status_code == 200
    assert browser.json()["refresh_token"] is None
    assert "procus_refresh=" in browser.headers["set-cookie"]
    native = await client.post("/v1/auth/login", json=login)
    assert native.json()["refresh_token"]


async def test_unknown_refresh_token_and_missing_token(client: Client) -> None:
    status, problem = await _refresh(client, "not-a-token")
    assert (status, problem["code"]) == (401, "invalid_refresh_token")
    response = await client.post("/v1/auth/refresh")
    assert (response.status_code, response.json()["code"]) == (401, "refresh_token_missing")


async def test_access_token_expires_after_its_ttl(client: Client, clock: FakeClock) -> None:
    tokens = await register(client)
    clock.advance(minutes=14, seconds=59)
    assert (await client.get("/v1/me", headers=bearer(tokens))).status_code == 200
    clock.advance(seconds=2)
    expired = await client.get("/v1/me", headers=bearer(tokens))
    assert expired.status_code == 401
    assert expired.json()["code"] == "token_expired"
    assert expired.headers["www-authenticate"] == "Bearer"


async def test_refresh_token_expires_after_thirty_days(client: Client, clock: FakeClock) -> None:
    tokens = await register(client)
    clock.advance(days=30, seconds=1)
    status, problem = await _refresh(client, tokens["refresh_token"])
    assert (status, problem["code"]) == (401, "refresh_token_expired")


def _forge(claims: dict[str, object], secret: str, algorithm: str) -> str:
    return jwt.encode(claims, secret, algorithm=algorithm)


def _none_alg(claims: dict[str, object]) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims).encode())}."


# Forging an HS512 token with our (HS256-sized) secret is the point of one case here.
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
async def test_tampered_wrong_key_wrong_algorithm_and_alg_none_tokens_fail(client: Client, settings: Settings) -> None:
    tokens = await register(client)
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    header, _payload, signature = tokens["access_token"].split(".")
    claims_as_admin = {**claims, "role": "admin"}
    tampered_payload = base64.urlsafe_b64encode(json.dumps(claims_as_admin).encode()).rstrip(b"=").decode()
    forged = {
        "tampered": f"{header}.{tampered_payload}.{signature}",
        "wrong key": _forge(claims, "another-secret-that-is-long-enough-000", "HS256"),
        "wrong algorithm": _forge(claims, settings.jwt_secret, "HS512"),
        "alg none": _none_alg(claims),
        "garbage": "abc.def.ghi",
        "expired": _forge(
            {**claims, "exp": int(dt.datetime.now(dt.UTC).timestamp()) - 10}, settings.jwt_secret, "HS256"
        ),
    }
    for name, token in forged.items():
        response = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.json()["code"] in ("invalid_token", "token_expired"), name


async def test_no_or_malformed_authorization_header(client: Client) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "}):
        response = await client.get("/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


async def test_logout_revokes_the_session_and_clears_the_cookie(client: Client) -> None:
    tokens = await register(client)
    response = await client.post(
        "/v1/auth/logout", headers={**bearer(tokens), "Cookie": f"procus_refresh={tokens['refresh_token']}"}
    )
    assert response.status_code == 204
    assert "Max-Age=0" in response.headers["set-cookie"] or "max-age=0" in response.headers["set-cookie"].lower()
    assert (await client.get("/v1/me", headers=bearer(tokens))).status_code == 401
    status, problem = await _refresh(client, tokens["refresh_token"])
    assert (status, problem["code"]) == (401, "session_revoked")


async def test_logout_all_and_the_session_list(client: Client) -> None:
    first = await register(client)
    email = first["user"]["email"]
    phone = await client.post(
        "/v1/auth/login", json={"email": email, "password": PASSWORD}, headers={"User-Agent": "ProcusPhone/1.0"}
    )
    second = phone.json()
    listed = await client.get("/v1/auth/sessions", headers=bearer(second))
    assert listed.status_code == 200
    sessions = {s["id"]: s for s in listed.json()}
    assert set(sessions) == {first["session_id"], second["session_id"]}
    assert sessions[second["session_id"]]["current"] is True
    assert sessions[second["session_id"]]["user_agent"] == "ProcusPhone/1.0"
    assert sessions[first["session_id"]]["current"] is False
    assert {"created_at", "last_used_at", "ip"} <= set(sessions[first["session_id"]])

    revoke = await client.delete(f"/v1/auth/sessions/{first['session_id']}", headers=bearer(second))
    assert revoke.status_code == 204
    assert (await client.get("/v1/me", headers=bearer(first))).status_code == 401
    again = await client.delete(f"/v1/auth/sessions/{first['session_id']}", headers=bearer(second))
    assert again.status_code == 404
    other = await client.delete(f"/v1/auth/sessions/{uuid.uuid4()}", headers=bearer(second))
    assert other.status_code == 404

    third = (await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})).json()
    assert (await client.post("/v1/auth/logout-all", headers=bearer(third))).status_code == 204
    for tokens in (second, third):
        assert (await client.get("/v1/me", headers=bearer(tokens))).status_code == 401


async def test_someone_elses_session_cannot_be_revoked(client: Client) -> None:
    alice = await register(client)
    bob = await register(client)
    response = await client.delete(f"/v1/auth/sessions/{alice['session_id']}", headers=bearer(bob))
    assert response.status_code == 404
    assert (await client.get("/v1/me", headers=bearer(alice))).status_code == 200


async def test_a_suspended_user_is_refused_at_once_even_with_a_live_token(client: Client, db: Database) -> None:
    tokens = await register(client)
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET is_active = false WHERE id = $1", uuid.UUID(tokens["user"]["id"]))
    response = await client.get("/v1/me", headers=bearer(tokens))
    assert response.status_code == 403
    assert response.json()["code"] == "account_suspended"
    login = await client.post("/v1/auth/login", json={"email": tokens["user"]["email"], "password": PASSWORD})
    assert login.json()["code"] == "account_suspended"
    status, problem = await _refresh(client, tokens["refresh_token"])
    assert (status, problem["code"]) == (403, "account_suspended")
