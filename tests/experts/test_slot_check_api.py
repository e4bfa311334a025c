"""GET /v1/experts/me/slot-check and /slots: why a time is not offered, and the expert's own preview."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.bookings import http_user
from tests.support.experts import insert_area
from tests.support.fakes import FakeClock
from tests.support.payments import PaystackRelay

Client = AsyncTestClient[Litestar]
Headers = dict[str, str]
LAGOS = dt.timezone(dt.timedelta(hours=1))  # Africa/Lagos keeps UTC+1 all year
MONDAY = dt.date(2027, 1, 4)
HOURS = {
    "time_zone": "Africa/Lagos",
    "rules": [{"weekday": day, "start": "09:00", "end": "17:00"} for day in range(5)],
    "overrides": [{"date": "2027-01-05", "kind": "replace"}],
    "settings": {"min_notice_minutes": 120, "buffer_before_minutes": 15, "buffer_after_minutes": 30},
}


def at(day: dt.date, hour: int, minute: int = 0) -> str:
    return dt.datetime.combine(day, dt.time(hour, minute), LAGOS).isoformat()


async def lagos_expert(client: Client, db: Database, *, listed: bool = True) -> tuple[uuid.UUID, uuid.UUID, Headers]:
    expert_id, headers = await http_user(client, db, role="expert", full_name="Chiamaka Obi")
    if listed:
        async with db.connection() as conn:
            await conn.execute(
                "UPDATE expert_profiles SET published = true, approval = 'approved', headline = 'Tax'"
                " WHERE user_id = $1",
                expert_id,
            )
    area_id = await insert_area(db, expert_id, title="Tax planning", duration=60)
    saved = await client.put("/v1/experts/me/availability", json=HOURS, headers=headers)
    assert saved.status_code == 200, saved.text
    return expert_id, area_id, headers


async def check(client: Client, headers: Headers, area_id: uuid.UUID, start: str) -> dict[str, Any]:
    response = await client.get(
        "/v1/experts/me/slot-check", params={"area_id": str(area_id), "start": start}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in body["reasons"]]


async def test_a_booking_its_buffers_an_override_and_the_notice_are_each_explained(
    client: Client, db: Database, clock: FakeClock, paystack_relay: PaystackRelay
) -> None:
    clock.current = dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC)
    expert_id, area_id, headers = await lagos_expert(client, db)
    _, client_headers = await http_user(client, db, full_name="Tunde Bakare")
    booked = await client.post(
        "/v1/bookings",
        json={"expert_id": str(expert_id), "area_id": str(area_id), "start": at(MONDAY, 10)},
        headers=client_headers,
    )
    assert booked.status_code == 201, booked.text
    await paystack_relay.post(client, await paystack_relay.pay(booked.json()["checkout"]["reference"]))
    booking_id = booked.json()["booking"]["id"]

    free = await check(client, headers, area_id, at(MONDAY, 14))
    assert (free["bookable"], free["reasons"], free["time_zone"]) == (True, [], "Africa/Lagos")
    public = await client.get(
        f"/v1/experts/{expert_id}/slots",
        params={"area_id": str(area_id), "from": at(MONDAY, 0), "to": at(MONDAY + dt.timedelta(days=1), 0)},
    )
    assert free["day_slots"] == public.json()["slots"]
    assert at(MONDAY, 11, 15) not in free["day_slots"]

    in_buffer = await check(client, headers, area_id, at(MONDAY, 11, 15))
    assert (in_buffer["bookable"], codes(in_buffer)) == (False, ["buffer"])
    named = in_buffer["reasons"][0]["booking"]
    assert (named["id"], named["other_party"], named["title"]) == (booking_id, "Tunde Bakare", "Tax planning")
    assert (named["start"], named["end"]) == ("2027-01-04T09:00:00Z", "2027-01-04T10:00:00Z")
    assert (named["held_from"], named["held_to"]) == ("2027-01-04T08:45:00Z", "2027-01-04T10:30:00Z")

    assert codes(await check(client, headers, area_id, at(MONDAY, 10, 30))) == ["already_booked"]
    assert codes(await check(client, headers, area_id, at(MONDAY, 16, 30))) == ["outside_weekly_hours"]
    assert codes(await check(client, headers, area_id, at(MONDAY, 14, 5))) == ["off_slot_grid"]
    day_off = await check(client, headers, area_id, at(MONDAY + dt.timedelta(days=1), 10))
    assert (codes(day_off), day_off["reasons"][0]["override_date"]) == (["day_off"], "2027-01-05")
    assert day_off["day_slots"] == []
    friday = dt.date(2027, 1, 1)  # the clock reads 13:00 in Lagos; the notice is two hours
    soon = await check(client, headers, area_id, at(friday, 14))
    assert (codes(soon), soon["earliest_start"]) == (["inside_minimum_notice"], "2027-01-01T14:00:00Z")
    far = await check(client, headers, area_id, at(MONDAY + dt.timedelta(days=70), 10))
    assert "beyond_horizon" in codes(far)


async def test_an_unlisted_expert_previews_slots_clients_cannot_see_yet(
    client: Client, db: Database, clock: FakeClock
) -> None:
    clock.current = dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC)
    expert_id, area_id, headers = await lagos_expert(client, db, listed=False)
    window = {"area_id": str(area_id), "from": at(MONDAY, 0), "to": at(MONDAY + dt.timedelta(days=1), 0)}
    hidden = await client.get(f"/v1/experts/{expert_id}/slots", params=window)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "expert_not_found")
    preview = await client.get("/v1/experts/me/slots", params={**window, "tz": "Africa/Lagos"}, headers=headers)
    assert preview.status_code == 200, preview.text
    slots = preview.json()["slots"]
    assert (slots[0], slots[-1], len(slots)) == ("2027-01-04T08:00:00Z", "2027-01-04T15:00:00Z", 29)
    assert list(preview.json()["by_local_date"]) == ["2027-01-04"]

    unlisted = await check(client, headers, area_id, at(MONDAY, 10))
    assert (unlisted["bookable"], codes(unlisted)) == (False, ["awaiting_approval", "profile_unpublished"])
    assert unlisted["day_slots"] == []


async def test_slot_checks_are_the_experts_own_and_validated(client: Client, db: Database, clock: FakeClock) -> None:
    clock.current = dt.datetime(2027, 1, 1, 12, tzinfo=dt.UTC)
    _, area_id, headers = await lagos_expert(client, db)
    _, other_area, _ = await lagos_expert(client, db)
    _, client_headers = await http_user(client, db)

    async def problem(params: dict[str, str], as_headers: Headers = headers) -> tuple[int, str]:
        response = await client.get("/v1/experts/me/slot-check", params=params, headers=as_headers)
        return response.status_code, response.json()["code"]

    good = {"area_id": str(area_id), "start": at(MONDAY, 10)}
    assert await problem(good, client_headers) == (403, "role_required")
    assert await problem({**good, "area_id": str(other_area)}) == (404, "area_not_found")
    assert await problem({**good, "start": "2027-01-04T10:00:00"}) == (422, "invalid_datetime")
    assert (await problem({"area_id": str(area_id)}))[0] == 400
