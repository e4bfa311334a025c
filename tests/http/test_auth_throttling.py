from __future__ import annotations

import asyncio

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from tests.conftest import replace
from tests.support.accounts import PASSWORD, bearer, register, unique_email
from tests.support.fakes import FakeClock
from tests.support.http_server import serve_in_thread

Client = AsyncTestClient[Litestar]


async def _fail(client: Client, email: str, ip: str = "203.0.113.7") -> int:
    response = await client.post(
        "/v1/auth/login", json={"email": email, "password": "wrong password!"}, headers={"X-Forwarded-For": ip}
    )
    return response.status_code


async def _proxied_client(settings: Settings, integrations: Integrations) -> AsyncTestClient[Litestar]:
    return AsyncTestClient(create_app(replace(settings, trust_proxy_headers=True), integrations))


async def _login(client: Client, email: str, password: str, ip: str) -> httpx.Response:
    return await client.post(
        "/v1/auth/login", json={"email": email, "password": password}, headers={"X-Forwarded-For": ip}
    )


async def test_concurrent_guesses_cannot_outrun_the_throttle(
    settings: Settings, integrations: Integrations, db: object
) -> None:
    """15 sign-ins at once for one email over real sockets, 14 wrong: at most 5 wrong guesses reach the
    password check; the rest wait."""
    app = create_app(replace(settings, trust_proxy_headers=True), integrations)
    with serve_in_thread(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            email = unique_email()
            await register(http, email=email)
            passwords = ["wrong password!"] * 14 + [PASSWORD]
            answers = await asyncio.gather(
                *(
                    http.post(
                        "/v1/auth/login",
                        json={"email": email, "password": password},
                        headers={"X-Forwarded-For": f"198.51.100.{i}"},
                    )
                    for i, password in enumerate(passwords)
                )
            )
    codes = sorted(answer.status_code for answer in answers)
    # At most the 5 free attempts' wrong guesses reach bcrypt. The owner's success frees only its own
    # reservation, so when it lands among the first five, one more caller is let through to a 401.
    assert codes.count(401) <= 5, codes
    assert codes.count(429) >= 9, codes


async def test_a_success_does_not_erase_other_callers_failures(
    settings: Settings, integrations: Integrations, clock: FakeClock, db: object
) -> None:
    async with await _proxied_client(settings, integrations) as client:
        email = (await register(client))["user"]["email"]
        assert [await _fail(client, email, ip=f"198.51.100.{i}") for i in range(5)] == [401] * 5
        clock.advance(seconds=2)
        assert (await _login(client, email, PASSWORD, "192.0.2.200")).status_code == 200
        assert await _fail(client, email, ip="198.51.100.50") == 401  # the 6th failure: allowed
        refused = await _login(client, email, "another guess", "198.51.100.51")
        assert refused.status_code == 429  # the 7th waits: the owner's success erased nothing
        assert refused.headers["retry-after"] == "4"


async def test_failures_slow_each_next_attempt_but_never_lock_the_owner_out(
    settings: Settings, integrations: Integrations, clock: FakeClock, db: object
) -> None:
    hour_window = replace(settings, login_failure_window_seconds=3600)
    async with await _proxied_client(hour_window, integrations) as client:
        email = (await register(client))["user"]["email"]
        assert [await _fail(client, email, ip=f"198.51.100.{i}") for i in range(5)] == [401] * 5
        waits = []
        for i in range(10):
            blocked = await _login(client, email, PASSWORD, f"192.0.2.{i}")
            assert blocked.status_code == 429
            assert blocked.json()["code"] == "too_many_login_attempts"
            waits.append(int(blocked.headers["retry-after"]))
            clock.advance(seconds=waits[-1])
            assert await _fail(client, email, ip=f"203.0.113.{i}") == 401
        assert waits == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
        assert int((await _login(client, email, PASSWORD, "192.0.2.99")).headers["retry-after"]) == 300
        clock.advance(seconds=300)
        assert (await _login(client, email, PASSWORD, "192.0.2.99")).status_code == 200


async def test_failures_from_one_address_slow_that_address_only(
    settings: Settings, integrations: Integrations, clock: FakeClock, db: object
) -> None:
    async with await _proxied_client(settings, integrations) as client:
        tokens = await register(client)
        for _ in range(settings.login_max_failures_per_address):
            assert await _fail(client, unique_email(), ip="192.0.2.55") == 401
        blocked = await _login(client, tokens["user"]["email"], PASSWORD, "192.0.2.55")
        assert blocked.status_code == 429
        assert (await _login(client, tokens["user"]["email"], PASSWORD, "192.0.2.56")).status_code == 200


async def test_one_address_may_fail_more_often_than_one_email_before_it_waits(
    settings: Settings, integrations: Integrations, clock: FakeClock, db: object
) -> None:
    """People behind one office or carrier NAT: a few of them mistyping must not hold the others up."""
    assert settings.login_max_failures < settings.login_max_failures_per_address
    async with await _proxied_client(settings, integrations) as client:
        tokens = await register(client)
        for _ in range(settings.login_max_failures + 2):
            assert await _fail(client, unique_email(), ip="192.0.2.60") == 401
        assert (await _login(client, tokens["user"]["email"], PASSWORD, "192.0.2.60")).status_code == 200


async def test_many_people_signing_in_at_once_from_one_address_all_get_in(
    settings: Settings, integrations: Integrations, db: object
) -> None:
    """Each attempt counts as undecided while its password is checked; a crowd of right passwords from
    one address must stay within the address's allowance."""
    async with await _proxied_client(settings, integrations) as client:
        people = [await register(client) for _ in range(12)]
        answers = await asyncio.gather(
            *(_login(client, person["user"]["email"], PASSWORD, "192.0.2.61") for person in people)
        )
    assert [answer.status_code for answer in answers] == [200] * len(people)


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


async def test_limits_count_the_address_our_proxy_saw_not_what_the_caller_wrote(
    settings: Settings, integrations: Integrations, db: object
) -> None:
    """The caller writes the left of X-Forwarded-For; our one proxy appends the address it saw."""
    strict = replace(settings, trust_proxy_headers=True, trusted_proxy_hops=1, rate_limit_auth_per_minute=3)
    async with AsyncTestClient(create_app(strict, integrations)) as client:
        codes = [
            (
                await client.post(
                    "/v1/auth/password-reset",
                    json={"email": "a@b.co"},
                    headers={"X-Forwarded-For": f"10.9.8.{i}, 203.0.113.77"},
                )
            ).status_code
            for i in range(4)
        ]
        assert codes == [202, 202, 202, 429]
        tokens = await register(client, headers={"X-Forwarded-For": "6.6.6.6, 198.51.100.23"})
        sessions = await client.get("/v1/auth/sessions", headers=bearer(tokens))
        assert [s["ip"] for s in sessions.json()] == ["198.51.100.23"]


async def test_two_trusted_hops_take_the_second_entry_from_the_right(
    settings: Settings, integrations: Integrations, db: object
) -> None:
    two_proxies = replace(settings, trust_proxy_headers=True, trusted_proxy_hops=2)
    async with AsyncTestClient(create_app(two_proxies, integrations)) as client:
        tokens = await register(client, headers={"X-Forwarded-For": "6.6.6.6, 198.51.100.24, 10.0.0.2"})
        sessions = await client.get("/v1/auth/sessions", headers=bearer(tokens))
        assert [s["ip"] for s in sessions.json()] == ["198.51.100.24"]
