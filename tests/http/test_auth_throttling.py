from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from tests.conftest import replace
from tests.support.accounts import PASSWORD, register, unique_email
from tests.support.fakes import FakeClock

Client = AsyncTestClient[Litestar]


async def _fail(client: Client, email: str, ip: str = "203.0.113.7") -> int:
    response = await client.post(
        "/v1/auth/login", json={"email": email, "password": "wrong password!"}, headers={"X-Forwarded-For": ip}
    )
    return response.status_code


async def _proxied_client(settings: Settings, integrations: Integrations) -> AsyncTestClient[Litestar]:
    return AsyncTestClient(create_app(replace(settings, trust_proxy_headers=True), integrations))


async def test_five_failures_for_an_email_block_it_with_retry_after(
    settings: Settings, integrations: Integrations, clock: FakeClock, db: object
) -> None:
    async with await _proxied_client(settings, integrations) as client:
        tokens = await register(client)
        email = tokens["user"]["email"]
        assert [await _fail(client, email, ip=f"198.51.100.{i}") for i in range(5)] == [401] * 5
        blocked = await client.post(
            "/v1/auth/login", json={"email": email, "password": PASSWORD}, headers={"X-Forwarded-For": "198.51.100.99"}
        )
        assert blocked.status_code == 429
        assert blocked.json()["code"] == "too_many_login_attempts"
        assert 890 <= int(blocked.headers["retry-after"]) <= 901
        clock.advance(minutes=15, seconds=1)
        allowed = await client.post(
            "/v1/auth/login", json={"email": email, "password": PASSWORD}, headers={"X-Forwarded-For": "198.51.100.99"}
        )
        assert allowed.status_code == 200


async def test_five_failures_from_one_ip_block_that_ip(
    settings: Settings, integrations: Integrations, clock: FakeClock, db: object
) -> None:
    async with await _proxied_client(settings, integrations) as client:
        tokens = await register(client)
        for _ in range(5):
            assert await _fail(client, unique_email(), ip="192.0.2.55") == 401
        blocked = await client.post(
            "/v1/auth/login",
            json={"email": tokens["user"]["email"], "password": PASSWORD},
            headers={"X-Forwarded-For": "192.0.2.55"},
        )
        assert blocked.status_code == 429
        elsewhere = await client.post(
            "/v1/auth/login",
            json={"email": tokens["user"]["email"], "password": PASSWORD},
            headers={"X-Forwarded-For": "192.0.2.56"},
        )
        assert elsewhere.status_code == 200


async def test_global_and_auth_rate_limits_answer_429_with_retry_after(
    settings: Settings, integrations: Integrations, db: object
) -> None:
    strict = replace(settings, rate_limit_auth_per_minute=3, rate_limit_global_per_minute=6)
    async with AsyncTestClient(create_app(strict, integrations)) as client:
        codes = [(await client.post("/v1/auth/password-reset", json={"email": "a@b.co"})).status_code for _ in range(4)]
        assert codes == [202, 202, 202, 429]
        limited = await client.post("/v1/auth/password-reset", json={"email": "a@b.co"})
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["code"] == "rate_limited"
        # The three admitted auth calls count towards the global budget of 6; refused ones do not.
        others = [(await client.get("/v1/me")).status_code for _ in range(4)]
        assert others == [401, 401, 401, 429]
        assert (await client.get("/healthz")).status_code == 200  # probes are never limited
        webhook = await client.post("/v1/webhooks/paystack", content=b"{}")
        assert webhook.status_code == 401  # signed webhooks are never rate limited, only verified
