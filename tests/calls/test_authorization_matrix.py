"""Who may touch a booking and everything hanging off it: every resource operation, every kind of caller.

One confirmed (paid, accepted) booking between a client and an expert; each operation that names a
resource is tried as anonymous, the owning client, the owning expert, another client, another expert,
a suspended user and an admin, and the exact status of each cell is asserted. Strangers get 404 where
a booking's existence is private. Operations that would change the booking are tried only by callers
who must be refused (the owners' side of those is covered where each transition is tested).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.accounts import bearer, register
from tests.support.bookings import http_expert, http_user
from tests.support.calls import ReadyCall, book_call
from tests.support.fakes import FakeClock
from tests.support.payments import PaystackRelay

Client = AsyncTestClient[Litestar]
CALLERS = ("anonymous", "client", "expert", "other_client", "other_expert", "suspended", "admin")
_STRANGER = {"anonymous": 401, "other_client": 404, "other_expert": 404, "suspended": 403}


def _row(client: int, expert: int, admin: int, **overrides: int) -> dict[str, int]:
    return {**_STRANGER, "client": client, "expert": expert, "admin": admin, **overrides}


# (operation id, method, path template, json body) -> status per caller
READS: list[tuple[str, str, str, Any, dict[str, int]]] = [
    ("getBooking", "GET", "/v1/bookings/{booking}", None, _row(200, 200, 200)),
    ("listBookingEvents", "GET", "/v1/bookings/{booking}/events", None, _row(200, 200, 200)),
    ("getBookingInvite", "GET", "/v1/bookings/{booking}/invite.ics", None, _row(200, 200, 200)),
    ("getCall", "GET", "/v1/calls/{booking}", None, _row(200, 200, 200)),
    ("getCallNotes", "GET", "/v1/calls/{booking}/notes", None, _row(403, 200, 403)),
    ("verifyPayment", "GET", "/v1/payments/{reference}/verify", None, _row(200, 404, 200)),
]
# Changes: only callers whose answer changes nothing try them (see the module docstring). An admin
# passes the party check on bookings and meets the state machine (409: already confirmed); an admin
# may cancel any booking, which is allowed and therefore not tried here.
_NO_ADMIN = {"admin": 404}
CHANGES: list[tuple[str, str, str, Any, dict[str, int]]] = [
    ("acceptBooking", "POST", "/v1/bookings/{booking}/accept", None, {"admin": 409}),
    ("declineBooking", "POST", "/v1/bookings/{booking}/decline", {"reason": "no"}, {"admin": 409}),
    ("cancelBooking", "POST", "/v1/bookings/{booking}/cancel", {"reason": "no"}, {}),
    (
        "proposeReschedule",
        "POST",
        "/v1/bookings/{booking}/reschedule",
        {"start": "2030-01-01T10:00:00Z"},
        {"admin": 403},
    ),
    ("acceptReschedule", "POST", "/v1/bookings/{booking}/reschedule/accept", None, {"admin": 409}),
    ("declineReschedule", "POST", "/v1/bookings/{booking}/reschedule/decline", {"reason": "no"}, {"admin": 409}),
    ("createCallToken", "POST", "/v1/calls/{booking}/token", None, {"admin": 403}),
    ("endCall", "POST", "/v1/calls/{booking}/end", None, {"admin": 403}),
    ("putCallNotes", "PUT", "/v1/calls/{booking}/notes", {"body": "mine"}, {"client": 403, "admin": 403}),
    ("markNotificationRead", "POST", "/v1/notifications/{notification}/read", None, _NO_ADMIN),
    ("revokeSession", "DELETE", "/v1/auth/sessions/{session}", None, {"expert": 404, **_NO_ADMIN}),
]


async def _callers(client: Client, db: Database, call: ReadyCall) -> dict[str, dict[str, str]]:
    _, other_client = await http_user(client, db)
    _, other_expert = await http_expert(client, db)
    admin_id, admin = await http_user(client, db, full_name="Ada Admin")
    suspended = await register(client)
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1", admin_id)
        await conn.execute("UPDATE users SET is_active = false WHERE id = $1", uuid.UUID(suspended["user"]["id"]))
    return {
        "anonymous": {},
        "client": call.client_headers,
        "expert": call.expert_headers,
        "other_client": other_client,
        "other_expert": other_expert,
        "suspended": bearer(suspended),
        "admin": admin,
    }


async def _ids(client: Client, db: Database, call: ReadyCall) -> dict[str, str]:
    async with db.connection() as conn:
        reference = await conn.fetchval("SELECT reference FROM payments WHERE booking_id = $1", call.booking_id)
        notification = await conn.fetchval(
            "SELECT id FROM notifications WHERE user_id = $1 ORDER BY seq LIMIT 1", call.client_id
        )
    sessions = await client.get("/v1/auth/sessions", headers=call.client_headers)
    return {
        "booking": str(call.booking_id),
        "reference": reference,
        "notification": str(notification),
        "session": sessions.json()[0]["id"],
    }


async def _status(client: Client, method: str, path: str, body: Any, headers: dict[str, str]) -> int:
    response = await client.request(method, path, json=body, headers=headers)
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json", (path, response.text)
    return response.status_code


@pytest.fixture
async def call(client: Client, db: Database, paystack_relay: PaystackRelay, clock: FakeClock) -> ReadyCall:
    return await book_call(client, db, paystack_relay, clock.now())


async def test_every_resource_operation_answers_each_kind_of_caller_exactly(
    client: Client, db: Database, call: ReadyCall
) -> None:
    callers = await _callers(client, db, call)
    ids = await _ids(client, db, call)
    seen: dict[str, dict[str, int]] = {}
    expected: dict[str, dict[str, int]] = {}
    for operation_id, method, template, body, row in READS:
        path = template.format(**ids)
        expected[operation_id] = row
        seen[operation_id] = {who: await _status(client, method, path, body, callers[who]) for who in CALLERS}
    for operation_id, method, template, body, owners in CHANGES:
        path = template.format(**ids)
        refused = {**_STRANGER, **owners}
        expected[operation_id] = refused
        seen[operation_id] = {who: await _status(client, method, path, body, callers[who]) for who in refused}
    assert seen == expected
    booking = await client.get(f"/v1/bookings/{call.booking_id}", headers=call.client_headers)
    assert booking.json()["status"] == "confirmed"  # none of the refused changes happened
