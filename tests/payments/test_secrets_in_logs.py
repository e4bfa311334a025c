"""A whole journey with every logger at DEBUG: no secret ends up in a log line or an error body."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from procus.app.logging import JsonFormatter
from tests.payments.conftest import Payments
from tests.support.accounts import bearer, unique_email

_LOGGERS = ("", "procus", "httpx", "httpcore", "asyncpg", "litestar", "uvicorn")


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def debug_logs() -> Iterator[_Capture]:
    capture = _Capture()
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    logging.getLogger().addHandler(capture)
    try:
        yield capture
    finally:
        logging.getLogger().removeHandler(capture)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


async def test_a_journey_at_debug_leaves_no_secret_in_logs_or_error_bodies(
    payments: Payments, debug_logs: _Capture
) -> None:
    client = payments.client
    answers: list[httpx.Response] = []

    async def call(method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = await client.request(method, path, **kwargs)
        answers.append(response)
        return response

    password = f"pw-{uuid.uuid4().hex}"
    email = unique_email("secret")
    await call("POST", "/v1/auth/register", json={"email": email, "password": password, "full_name": "Ada"})
    await call("POST", "/v1/auth/register", json={"email": email, "password": password, "full_name": "Ada"})
    await call("POST", "/v1/auth/login", json={"email": email, "password": password + "-wrong"})
    signed_in = (await call("POST", "/v1/auth/login", json={"email": email, "password": password})).json()
    refreshed = (await call("POST", "/v1/auth/refresh", json={"refresh_token": signed_in["refresh_token"]})).json()
    await call("POST", "/v1/auth/refresh", json={"refresh_token": signed_in["refresh_token"] + "x"})
    await call("GET", "/v1/me", headers={"Authorization": f"Bearer {signed_in['access_token']}x"})

    booked = await payments.paid_booking()
    hook = payments.relay.received("charge.success", booked.reference)[0]
    await call("POST", "/v1/webhooks/paystack", content=hook.body, headers={"x-paystack-signature": "0" * 128})
    await call("POST", f"/v1/bookings/{booked.booking_id}/accept", headers=booked.expert_headers)
    account_number = "0" + str(uuid.uuid4().int)[:9]
    account = {"bank_code": "057", "account_number": account_number, "name": "Grace Expert", "currency": "NGN"}
    await call("PUT", "/v1/payouts/accounts", json=account, headers=booked.expert_headers)
    await call("PUT", "/v1/payouts/accounts", json={**account, "bank_code": "x"}, headers=booked.expert_headers)
    await call("GET", f"/v1/payments/{booked.reference}/verify", headers=booked.client_headers)
    await call("POST", "/v1/auth/logout", json={"refresh_token": refreshed["refresh_token"]}, headers=bearer(refreshed))

    secrets = {
        "password": password,
        "access token": signed_in["access_token"],
        "first refresh token": signed_in["refresh_token"],
        "refreshed refresh token": refreshed["refresh_token"],
        "webhook signature": str(hook.signature),
        "Paystack secret key": payments.relay.fake.secret_key,
        "bank account number": account_number,
    }
    logged = "\n".join(debug_logs.lines)
    assert len(debug_logs.lines) > 20, "the journey logged at DEBUG"
    error_bodies = "\n".join(a.text for a in answers if a.status_code >= 400)
    assert error_bodies, "some answers were errors"
    for name, value in secrets.items():
        assert value not in logged, f"{name} is in the logs"
        assert value not in error_bodies, f"{name} is in an error body"
