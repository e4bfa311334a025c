from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.store.db import Database
from tests.support.accounts import PASSWORD, bearer, queued_emails, register, unique_email
from tests.support.fakes import FakeClock
from tests.support.http_server import serve_in_thread

Client = AsyncTestClient[Litestar]
NEW_PASSWORD = "a brand new passphrase"


def _token(email_job: dict[str, object]) -> str:
    context: dict[str, str] = email_job["context"]  # type: ignore[assignment]
    link = context.get("reset_url") or context["verify_url"]
    return parse_qs(urlsplit(link).query)["token"][0]


async def test_reset_request_is_202_whether_or_not_the_email_exists(client: Client, db: Database) -> None:
    unknown = unique_email()
    response = await client.post("/v1/auth/password-reset", json={"email": unknown})
    assert response.status_code == 202
    assert await queued_emails(db, "password_reset", unknown) == []
    garbage = await client.post("/v1/auth/password-reset", json={"email": "not an email"})
    assert garbage.status_code == 202


async def test_password_reset_sets_the_password_once_and_signs_out_everywhere(client: Client, db: Database) -> None:
    tokens = await register(client)
    email = tokens["user"]["email"]
    assert (await client.post("/v1/auth/password-reset", json={"email": email})).status_code == 202
    [job] = await queued_emails(db, "password_reset", email)
    token = _token(job)
    assert job["context"]["reset_url"].startswith("http")

    confirm = await client.post("/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})
    assert confirm.status_code == 204
    assert (await client.get("/v1/me", headers=bearer(tokens))).status_code == 401
    old = await client.post("/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert old.status_code == 401
    new = await client.post("/v1/auth/login", json={"email": email, "password": NEW_PASSWORD})
    assert new.status_code == 200

    reused = await client.post("/v1/auth/password-reset/confirm", json={"token": token, "new_password": NEW_PASSWORD})
    assert reused.status_code == 410
    assert reused.json()["code"] == "reset_token_invalid"


async def test_reset_token_expires_after_an_hour(client: Client, db: Database, clock: FakeClock) -> None:
    tokens = await register(client)
    email = tokens["user"]["email"]
    await client.post("/v1/auth/password-reset", json={"email": email})
    [job] = await queued_emails(db, "password_reset", email)
    clock.advance(hours=1, seconds=1)
    late = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": _token(job), "new_password": NEW_PASSWORD}
    )
    assert late.status_code == 410


async def test_reset_checks_the_new_password(client: Client, db: Database) -> None:
    tokens = await register(client)
    await client.post("/v1/auth/password-reset", json={"email": tokens["user"]["email"]})
    [job] = await queued_emails(db, "password_reset", tokens["user"]["email"])
    weak = await client.post("/v1/auth/password-reset/confirm", json={"token": _token(job), "new_password": "short"})
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "new_password"


async def test_email_verification_link_verifies_once(client: Client, db: Database) -> None:
    tokens = await register(client)
    email = tokens["user"]["email"]
    [job] = await queued_emails(db, "email_verification", email)
    verify = await client.post("/v1/auth/verify-email", json={"token": _token(job)})
    assert verify.status_code == 204
    me = await client.get("/v1/me", headers=bearer(tokens))
    assert me.json()["email_verified"] is True
    again = await client.post("/v1/auth/verify-email", json={"token": _token(job)})
    assert again.status_code == 410
    resend = await client.post("/v1/auth/verify-email/resend", headers=bearer(tokens))
    assert resend.status_code == 409
    assert resend.json()["code"] == "email_already_verified"


async def test_resend_verification_queues_a_new_link(client: Client, db: Database) -> None:
    tokens = await register(client)
    assert (await client.post("/v1/auth/verify-email/resend", headers=bearer(tokens))).status_code == 202
    assert len(await queued_emails(db, "email_verification", tokens["user"]["email"])) == 2


async def test_a_flood_of_reset_requests_sends_one_mail_per_cooldown(
    client: Client, db: Database, clock: FakeClock
) -> None:
    email = (await register(client))["user"]["email"]
    answers = await asyncio.gather(*(client.post("/v1/auth/password-reset", json={"email": email}) for _ in range(32)))
    assert {answer.status_code for answer in answers} == {202}
    [first] = await queued_emails(db, "password_reset", email)

    clock.advance(minutes=5)
    await client.post("/v1/auth/password-reset", json={"email": email})
    [_, second] = await queued_emails(db, "password_reset", email)

    retired = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": _token(first), "new_password": NEW_PASSWORD}
    )
    assert retired.status_code == 410  # one valid link at a time: the newest
    newest = await client.post(
        "/v1/auth/password-reset/confirm", json={"token": _token(second), "new_password": NEW_PASSWORD}
    )
    assert newest.status_code == 204


async def test_the_reset_request_is_answered_before_the_account_is_looked_up(
    settings: Settings, integrations: Integrations, db: Database
) -> None:
    """Known and unknown emails cannot differ in timing: the answer never waits for the lookup. With
    the users table locked, both still answer at once; the mail follows once the lock is released."""
    app = create_app(settings, integrations)
    with serve_in_thread(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as http:
            email = unique_email()
            await register(http, email=email)
            async with db.transaction() as tx:
                await tx.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
                for address in (email, unique_email()):
                    answer = await asyncio.wait_for(
                        http.post("/v1/auth/password-reset", json={"email": address}), timeout=3
                    )
                    assert answer.status_code == 202
            for _ in range(100):
                if await queued_emails(db, "password_reset", email):
                    break
                await asyncio.sleep(0.05)
            assert len(await queued_emails(db, "password_reset", email)) == 1
