"""Bodies the schema does not allow are a 400 problem+json: never a 500, never quietly coerced."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.bookings import booking_body, http_expert, http_user, slot_start

Client = AsyncTestClient[Litestar]
_JSON = {"content-type": "application/json"}
_DEEP = b'{"email":' + b"[" * 1000 + b"]" * 1000 + b"}"


def _assert_bad_request(response: object, code: str) -> None:
    assert response.status_code == 400, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert response.json()["code"] == code  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/auth/login",
        "/v1/auth/register",
        "/v1/auth/refresh",
        "/v1/auth/password-reset",
        "/v1/auth/password-reset/confirm",
    ],
)
async def test_json_nested_1000_deep_is_malformed(client: Client, path: str) -> None:
    _assert_bad_request(await client.post(path, content=_DEEP, headers=_JSON), "malformed_body")


async def test_a_body_that_is_not_utf8_is_malformed(client: Client, db: Database) -> None:
    body = b'{"email":"\xff\xfe@example.com","password":"x","full_name":"A"}'
    _assert_bad_request(await client.post("/v1/auth/register", content=body, headers=_JSON), "malformed_body")
    _, headers = await http_user(client, db)
    booking = await client.post("/v1/bookings", content=b'{"expert_id":"\xff"}', headers={**headers, **_JSON})
    _assert_bad_request(booking, "malformed_body")


async def test_a_booking_start_given_as_a_number_is_refused_not_read_as_unix_time(client: Client, db: Database) -> None:
    expert, _ = await http_expert(client, db)
    _, headers = await http_user(client, db)
    body: dict[str, object] = dict(booking_body(expert, slot_start(dt.datetime.now(dt.UTC))))
    body["start"] = int(dt.datetime.fromisoformat(str(body["start"])).timestamp())
    response = await client.post("/v1/bookings", json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
    _assert_bad_request(response, "validation_failed")
    assert response.json()["errors"][0]["field"] == "start"


async def test_a_payout_amount_given_as_a_string_is_refused(client: Client, db: Database) -> None:
    _, headers = await http_expert(client, db)
    response = await client.post(
        "/v1/payouts",
        json={"amount": "100000", "currency": "NGN"},
        headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
    )
    _assert_bad_request(response, "validation_failed")
    assert response.json()["errors"][0]["field"] == "amount"
