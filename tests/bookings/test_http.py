"""/v1/bookings over HTTP, with the real payments service and the fake Paystack."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from icalendar import Calendar
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.accounts import bearer, register
from tests.support.bookings import BookableExpert, booking_body, http_expert, http_user, slot_start
from tests.support.fakes import FakeClock
from tests.support.payments import PaystackRelay

Client = AsyncTestClient[Litestar]
Headers = dict[str, str]


class Party:
    def __init__(self, client: Client, db: Database, clock: FakeClock, relay: PaystackRelay) -> None:
        self.client, self.db, self.clock, self.relay = client, db, clock, relay

    async def book(
        self, expert: BookableExpert, headers: Headers, start: dt.datetime, key: str | None = None
    ) -> dict[str, Any]:
        extra = {"Idempotency-Key": key} if key else {}
        response = await self.client.post("/v1/bookings", json=booking_body(expert, start), headers=headers | extra)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    async def pay(self, created: dict[str, Any]) -> None:
        hook = await self.relay.pay(created["checkout"]["reference"])
        delivered = await self.relay.post(self.client, hook)
        assert delivered.status_code == 200, delivered.text

    async def invite(self, booking_id: str, headers: Headers) -> Calendar:
        response = await self.client.get(f"/v1/bookings/{booking_id}/invite.ics", headers=headers)
        assert response.status_code == 200, response.text
        kind, *params = [part.strip() for part in response.headers["content-type"].split(";")]
        assert kind == "text/calendar"
        names = [param.split("=")[0].lower() for param in params]
        assert sorted(names) == ["charset", "method"], response.headers["content-type"]  # each once
        return Calendar.from_ical(response.content)


@pytest.fixture
def party(client: Client, db: Database, clock: FakeClock, paystack_relay: PaystackRelay) -> Party:
    return Party(client, db, clock, paystack_relay)


def _event(calendar: Calendar) -> Any:
    [event] = calendar.walk("VEVENT")
    return event


async def test_the_whole_life_of_a_booking(client: Client, db: Database, clock: FakeClock, party: Party) -> None:
    expert, expert_headers = await http_expert(client, db)
    client_id, client_headers = await http_user(client, db)
    start = slot_start(clock.now())
    created = await party.book(expert, client_headers, start)
    booking_id = created["booking"]["id"]
    assert created["booking"]["status"] == "pending"
    assert created["booking"]["price"] == {"amount": 50_00, "currency": "NGN"}
    assert created["booking"]["client"] == {"id": str(client_id), "full_name": "Ada Client"}
    assert created["booking"]["answer_by"] is not None
    assert created["checkout"]["authorization_url"].startswith("http://127.0.0.1")

    no_invite = await client.get(f"/v1/bookings/{booking_id}/invite.ics", headers=client_headers)
    assert (no_invite.status_code, no_invite.json()["code"]) == (409, "booking_pending")
    await party.pay(created)
    wrong = await client.post(f"/v1/bookings/{booking_id}/accept", headers=client_headers)
    assert (wrong.status_code, wrong.json()["code"]) == (403, "client_cannot_accept")
    accepted = await client.post(f"/v1/bookings/{booking_id}/accept", headers=expert_headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "confirmed"
    again = await client.post(f"/v1/bookings/{booking_id}/accept", headers=expert_headers)
    assert again.status_code == 409
    assert (again.json()["code"], again.json()["current_status"]) == ("booking_confirmed", "confirmed")

    for headers in (client_headers, expert_headers):
        calendar = await party.invite(booking_id, headers)
        event = _event(calendar)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert (str(event["UID"]), int(event["SEQUENCE"])) == (f"booking-{booking_id}@procus", 0)
        assert event.decoded("DTSTART") == start
        assert f"/bookings/{booking_id}/call" in str(event["LOCATION"])
        assert str(event["ATTENDEE"]).startswith("mailto:client-")
        assert str(event["ORGANIZER"]).startswith("mailto:expert-")

    new_start = start + dt.timedelta(hours=3)
    proposed = await client.post(
        f"/v1/bookings/{booking_id}/reschedule", json={"start": new_start.isoformat()}, headers=expert_headers
    )
    assert proposed.status_code == 200, proposed.text
    assert proposed.json()["proposed_start"] == new_start.isoformat().replace("+00:00", "Z")
    moved = await client.post(f"/v1/bookings/{booking_id}/reschedule/accept", headers=client_headers)
    assert moved.status_code == 200, moved.text
    event = _event(await party.invite(booking_id, client_headers))
    assert (int(event["SEQUENCE"]), event.decoded("DTSTART")) == (1, new_start)

    cancelled = await client.post(
        f"/v1/bookings/{booking_id}/cancel", json={"reason": "Plans changed"}, headers=client_headers
    )
    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["status"], cancelled.json()["status_reason"]) == ("cancelled", "Plans changed")
    calendar = await party.invite(booking_id, expert_headers)
    assert (str(calendar["METHOD"]), int(_event(calendar)["SEQUENCE"])) == ("CANCEL", 2)

    events = await client.get(f"/v1/bookings/{booking_id}/events", headers=expert_headers)
    assert [(e["action"], e["from_status"], e["to_status"]) for e in events.json()] == [
        ("request", None, "pending"),
        ("accept", "pending", "confirmed"),
        ("propose_reschedule", "confirmed", "reschedule_proposed"),
        ("accept_reschedule", "reschedule_proposed", "confirmed"),
        ("cancel", "confirmed", "cancelled"),
    ]
    assert events.json()[-1]["actor_id"] == str(client_id)


async def test_the_idempotency_key_replays_the_first_response(
    client: Client, db: Database, clock: FakeClock, party: Party
) -> None:
    expert, _ = await http_expert(client, db)
    _, headers = await http_user(client, db)
    body = booking_body(expert, slot_start(clock.now()))
    keyed = headers | {"Idempotency-Key": "2f4d8a"}

    first = await client.post("/v1/bookings", json=body, headers=keyed)
    second = await client.post("/v1/bookings", json=body, headers=keyed)
    other = await client.post("/v1/bookings", json=body | {"note": "different"}, headers=keyed)

    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM bookings") == 1


async def test_reads_are_for_participants_and_admins_only(
    client: Client, db: Database, clock: FakeClock, party: Party
) -> None:
    expert, _ = await http_expert(client, db)
    _, client_headers = await http_user(client, db)
    booking_id = (await party.book(expert, client_headers, slot_start(clock.now())))["booking"]["id"]
    _, stranger = await http_user(client, db)
    admin_id, admin = await http_user(client, db)
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1", admin_id)

    for path in ("", "/events", "/invite.ics"):
        response = await client.get(f"/v1/bookings/{booking_id}{path}", headers=stranger)
        assert (response.status_code, response.json()["code"]) == (404, "booking_not_found")
    seen = await client.get(f"/v1/bookings/{booking_id}", headers=admin)
    assert (seen.status_code, seen.json()["viewer_role"]) == (200, "admin")
    assert (await client.get(f"/v1/bookings/{uuid.uuid4()}", headers=admin)).status_code == 404
    assert (await client.get(f"/v1/bookings/{booking_id}")).status_code == 401


async def test_only_verified_users_book(client: Client, db: Database, clock: FakeClock) -> None:
    expert, _ = await http_expert(client, db)
    response = await client.post(
        "/v1/bookings",
        json=booking_body(expert, slot_start(clock.now())),
        headers=(await _unverified(client)),
    )
    assert (response.status_code, response.json()["code"]) == (403, "email_not_verified")


async def _unverified(client: Client) -> Headers:
    return bearer(await register(client))


async def test_my_bookings_page_by_start(client: Client, db: Database, clock: FakeClock, party: Party) -> None:
    expert, expert_headers = await http_expert(client, db)
    _, headers = await http_user(client, db)
    base = slot_start(clock.now(), hour=1)
    ids = [(await party.book(expert, headers, base + dt.timedelta(hours=2 * i)))["booking"]["id"] for i in range(5)]

    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"when": "upcoming", "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await client.get("/v1/bookings", params=params, headers=headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ids

    as_expert = await client.get("/v1/bookings", params={"role": "expert"}, headers=expert_headers)
    assert [item["id"] for item in as_expert.json()["items"]] == ids[::-1]
    assert (await client.get("/v1/bookings", params={"role": "expert"}, headers=headers)).json()["items"] == []
    cancelled = await client.post(f"/v1/bookings/{ids[0]}/cancel", json={"reason": "No"}, headers=headers)
    assert cancelled.status_code == 200
    only = await client.get("/v1/bookings", params={"status": ["cancelled"]}, headers=headers)
    assert [item["id"] for item in only.json()["items"]] == [ids[0]]

    bogus = await client.get("/v1/bookings", params={"when": "past", "cursor": cursor or "bogus"}, headers=headers)
    assert (bogus.status_code, bogus.json()["code"]) == (422, "invalid_cursor")


async def test_the_cancellation_policy_is_public_before_booking(client: Client, db: Database) -> None:
    _, headers = await http_user(client, db)
    policy = await client.get("/v1/bookings/cancellation-policy", headers=headers)
    assert policy.json() == {"late_window_seconds": 0, "late_refund_bps": 10_000, "full_refund_bps": 10_000}
