"""Public marketplace reads over HTTP: categories, listing with filters and cursors, profiles."""

from __future__ import annotations

import datetime as dt
import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.domain.availability import BookingSettings
from procus.store.db import Database
from tests.support.bookings import http_user
from tests.support.experts import insert_area, insert_expert, set_availability, weekdays
from tests.support.fakes import FakeClock

Client = AsyncTestClient[Litestar]


async def test_categories_are_public(client: Client) -> None:
    response = await client.get("/v1/categories")
    assert response.status_code == 200
    assert response.json()[0] == {"slug": "technology", "name": "Technology & Software"}
    assert len(response.json()) == 10


async def test_listing_filters_sorts_and_pages(client: Client, db: Database, clock: FakeClock) -> None:
    clock.current = dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC)
    experts = []
    for index, price in enumerate([300_00, 100_00, 200_00]):
        expert_id = await insert_expert(
            db, full_name=f"Expert {index}", headline="Growth marketer", languages=("en", "ha") if index else ("en",)
        )
        await insert_area(db, expert_id, title="Funnel audit", category="marketing", price=price)
        experts.append(str(expert_id))
    await set_availability(
        db, uuid.UUID(experts[0]), rules=weekdays(9 * 60, 10 * 60), settings=BookingSettings(min_notice_minutes=0)
    )

    by_price = await client.get("/v1/experts", params={"sort": "price", "limit": 2, "category": "marketing"})
    assert by_price.status_code == 200
    page = by_price.json()
    assert [item["id"] for item in page["items"]] == [experts[1], experts[2]]
    rest = (
        await client.get(
            "/v1/experts", params={"sort": "price", "limit": 2, "category": "marketing", "cursor": page["next_cursor"]}
        )
    ).json()
    assert ([item["id"] for item in rest["items"]], rest["next_cursor"]) == ([experts[0]], None)
    assert rest["items"][0]["next_available_at"] == "2027-01-04T09:00:00Z"

    mismatch = await client.get("/v1/experts", params={"sort": "rating", "cursor": page["next_cursor"]})
    assert (mismatch.status_code, mismatch.json()["errors"][0]["field"]) == (422, "cursor")
    hausa = (await client.get("/v1/experts", params={"language": "HA", "max_price": 150_00})).json()
    assert [item["id"] for item in hausa["items"]] == [experts[1]]
    free = (await client.get("/v1/experts", params={"free_within_days": 2, "sort": "soonest"})).json()
    assert [item["id"] for item in free["items"]] == [experts[0]]
    assert (await client.get("/v1/experts", params={"sort": "cheapest"})).status_code == 400
    assert (await client.get("/v1/experts", params={"limit": 500})).status_code == 400
    assert (await client.get(f"/v1/experts/{uuid.uuid4()}")).status_code == 404


async def test_free_between_two_instants_over_http(client: Client, db: Database, clock: FakeClock) -> None:
    clock.current = dt.datetime(2027, 1, 4, 8, tzinfo=dt.UTC)
    morning = await insert_expert(db, full_name="Morning Person")
    evening = await insert_expert(db, full_name="Evening Person")
    areas = {}
    for expert_id, hours in ((morning, (9 * 60, 12 * 60)), (evening, (17 * 60, 21 * 60))):
        areas[expert_id] = await insert_area(db, expert_id, duration=60)
        await set_availability(db, expert_id, rules=weekdays(*hours), settings=BookingSettings(min_notice_minutes=0))

    tuesday_evening = {"free_from": "2027-01-05T17:00:00Z", "free_to": "2027-01-05T20:00:00+00:00"}
    found = (await client.get("/v1/experts", params=tuesday_evening)).json()
    assert [(item["id"], item["first_slot_between"]) for item in found["items"]] == [
        (str(evening), {"start": "2027-01-05T17:00:00Z", "area_id": str(areas[evening])})
    ]
    alone = await client.get("/v1/experts", params={"free_from": "2027-01-05T17:00:00Z"})
    assert (alone.status_code, alone.json()["code"]) == (422, "invalid_free_between")
    backwards = await client.get(
        "/v1/experts", params={"free_from": "2027-01-06T00:00:00Z", "free_to": "2027-01-05T00:00:00Z"}
    )
    assert (backwards.status_code, backwards.json()["code"]) == (422, "invalid_free_between")
    garbled = await client.get("/v1/experts", params={"free_from": "tuesday", "free_to": "2027-01-05T20:00:00Z"})
    assert (garbled.status_code, garbled.json()["code"]) == (422, "invalid_datetime")


async def test_a_signed_in_client_does_not_see_experts_a_block_keeps_apart(client: Client, db: Database) -> None:
    client_id, headers = await http_user(client, db)
    blocked_by = await insert_expert(db, full_name="Blocked By")
    blocking = await insert_expert(db, full_name="Blocking")
    open_to_all = await insert_expert(db, full_name="Open To All")
    for expert_id in (blocked_by, blocking, open_to_all):
        await insert_area(db, expert_id)
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO blocks (blocker_id, blocked_id, reason, created_at)"
            " VALUES ($1, $2, 'x', now()), ($3, $1, 'y', now())",
            client_id,
            blocking,
            blocked_by,
        )

    async def listed(**kwargs: dict[str, str]) -> set[str]:
        response = await client.get("/v1/experts", params={"sort": "soonest"}, **kwargs)  # type: ignore[arg-type]
        return {item["id"] for item in response.json()["items"]}

    assert await listed(headers=headers) == {str(open_to_all)}
    assert await listed() == {str(blocked_by), str(blocking), str(open_to_all)}
