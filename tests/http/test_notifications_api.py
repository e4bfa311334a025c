"""GET /v1/notifications (unread first, keyset pages), POST .../{id}/read and .../read-all."""

from __future__ import annotations

import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.accounts import bearer, register
from tests.support.fakes import FakeClock
from tests.support.notifications import send_notification

Client = AsyncTestClient[Litestar]


async def _user_with_notifications(client: Client, db: Database, clock: FakeClock, count: int) -> dict[str, str]:
    tokens = await register(client)
    user_id = uuid.UUID(tokens["user"]["id"])
    for number in range(1, count + 1):
        await send_notification(db, user_id, clock.now(), title=f"Notification {number}")
    return bearer(tokens)


async def _all_pages(client: Client, headers: dict[str, str], limit: int) -> list[list[int]]:
    pages: list[list[int]] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        response = await client.get("/v1/notifications", params=params, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append([item["seq"] for item in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


async def test_the_inbox_lists_unread_first_newest_first_in_keyset_pages(
    client: Client, db: Database, clock: FakeClock
) -> None:
    headers = await _user_with_notifications(client, db, clock, 5)
    first = (await client.get("/v1/notifications", headers=headers)).json()
    by_seq = {item["seq"]: item["id"] for item in first["items"]}
    for seq in (2, 4):
        assert (await client.post(f"/v1/notifications/{by_seq[seq]}/read", headers=headers)).status_code == 200

    assert await _all_pages(client, headers, limit=2) == [[5, 3], [1, 4], [2]]
    body = (await client.get("/v1/notifications", headers=headers)).json()
    assert body["unread_count"] == 3
    assert body["next_cursor"] is None
    item = body["items"][0]
    assert item["title"] == "Notification 5"
    assert item["kind"] == "booking.requested"
    assert item["read_at"] is None


async def test_a_page_boundary_holds_while_new_notifications_arrive(
    client: Client, db: Database, clock: FakeClock
) -> None:
    tokens = await register(client)
    headers = bearer(tokens)
    for number in range(4):
        await send_notification(db, uuid.UUID(tokens["user"]["id"]), clock.now(), title=f"N{number}")
    page = (await client.get("/v1/notifications", params={"limit": 2}, headers=headers)).json()
    await send_notification(db, uuid.UUID(tokens["user"]["id"]), clock.now(), title="Newest")
    rest = (
        await client.get("/v1/notifications", params={"limit": 2, "cursor": page["next_cursor"]}, headers=headers)
    ).json()
    assert [item["seq"] for item in page["items"]] == [4, 3]
    assert [item["seq"] for item in rest["items"]] == [2, 1]


async def test_reading_is_idempotent_and_keeps_the_first_read_time(
    client: Client, db: Database, clock: FakeClock
) -> None:
    headers = await _user_with_notifications(client, db, clock, 1)
    [item] = (await client.get("/v1/notifications", headers=headers)).json()["items"]
    first = (await client.post(f"/v1/notifications/{item['id']}/read", headers=headers)).json()
    clock.advance(minutes=5)
    again = (await client.post(f"/v1/notifications/{item['id']}/read", headers=headers)).json()
    assert first["read_at"] is not None
    assert again["read_at"] == first["read_at"]


async def test_someone_elses_notification_is_not_found(client: Client, db: Database, clock: FakeClock) -> None:
    owner = await _user_with_notifications(client, db, clock, 1)
    [item] = (await client.get("/v1/notifications", headers=owner)).json()["items"]
    stranger = bearer(await register(client))
    response = await client.post(f"/v1/notifications/{item['id']}/read", headers=stranger)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "notification_not_found"
    unknown = await client.post(f"/v1/notifications/{uuid.uuid4()}/read", headers=owner)
    assert unknown.status_code == 404
    assert (await client.get("/v1/notifications", headers=owner)).json()["items"][0]["read_at"] is None
    assert (await client.get("/v1/notifications", headers=stranger)).json()["items"] == []


async def test_read_all_marks_only_my_unread_notifications(client: Client, db: Database, clock: FakeClock) -> None:
    mine = await _user_with_notifications(client, db, clock, 3)
    theirs = await _user_with_notifications(client, db, clock, 2)
    response = await client.post("/v1/notifications/read-all", headers=mine)
    assert response.status_code == 200
    assert response.json() == {"marked_read": 3}
    assert (await client.post("/v1/notifications/read-all", headers=mine)).json() == {"marked_read": 0}
    assert (await client.get("/v1/notifications", headers=mine)).json()["unread_count"] == 0
    assert (await client.get("/v1/notifications", headers=theirs)).json()["unread_count"] == 2


async def test_the_inbox_needs_a_signed_in_user_and_a_valid_cursor(client: Client) -> None:
    assert (await client.get("/v1/notifications")).status_code == 401
    assert (await client.post("/v1/notifications/read-all")).status_code == 401
    assert (await client.post("/v1/notifications/stream-ticket")).status_code == 401
    headers = bearer(await register(client))
    response = await client.get("/v1/notifications", params={"cursor": "not-a-cursor!"}, headers=headers)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_cursor"
    assert (await client.get("/v1/notifications", params={"limit": 0}, headers=headers)).status_code == 400
