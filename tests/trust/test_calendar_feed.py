"""Calendar feed: a private, revocable iCalendar URL listing the user's calls, with the invites' stable
UID and a SEQUENCE that grows on reschedule and cancel."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from icalendar import Calendar
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.calls import book_call
from tests.support.payments import PaystackRelay

Client = AsyncTestClient[Litestar]


async def _events(client: Client, url: str) -> list[dict[str, str]]:
    response = await client.get(urlsplit(url).path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return [
        {
            "uid": str(event["UID"]),
            "sequence": str(event["SEQUENCE"]),
            "status": str(event["STATUS"]),
            "start": event.decoded("DTSTART").isoformat(),
        }
        for event in calendar.walk("VEVENT")
    ]


async def test_the_feed_follows_reschedules_and_cancellations(
    client: Client, db: Database, paystack_relay: PaystackRelay
) -> None:
    call = await book_call(client, db, paystack_relay, dt.datetime.now(dt.UTC))
    assert (await client.post("/v1/me/calendar-feed")).status_code == 401
    created = await client.post("/v1/me/calendar-feed", headers=call.client_headers)
    assert created.status_code == 201
    url = created.json()["url"]
    expert_url = (await client.post("/v1/me/calendar-feed", headers=call.expert_headers)).json()["url"]

    [event] = await _events(client, url)
    uid = f"booking-{call.booking_id}@procus"
    assert (event["uid"], event["status"]) == (uid, "CONFIRMED")
    first_sequence = int(event["sequence"])
    assert [e["uid"] for e in await _events(client, expert_url)] == [uid]

    new_start = call.starts_at + dt.timedelta(days=1)
    proposed = await client.post(
        f"/v1/bookings/{call.booking_id}/reschedule", json={"start": new_start.isoformat()}, headers=call.expert_headers
    )
    assert proposed.status_code == 200, proposed.text
    accepted = await client.post(f"/v1/bookings/{call.booking_id}/reschedule/accept", headers=call.client_headers)
    assert accepted.status_code == 200, accepted.text
    [moved] = await _events(client, url)
    assert moved["uid"] == uid
    assert int(moved["sequence"]) > first_sequence
    assert dt.datetime.fromisoformat(moved["start"]) == new_start

    cancelled = await client.post(
        f"/v1/bookings/{call.booking_id}/cancel", json={"reason": "Plans changed"}, headers=call.client_headers
    )
    assert cancelled.status_code == 200, cancelled.text
    [gone] = await _events(client, url)
    assert gone["status"] == "CANCELLED"
    assert int(gone["sequence"]) > int(moved["sequence"])


async def test_a_feed_url_is_revocable_and_replaced_by_a_new_one(
    client: Client, db: Database, paystack_relay: PaystackRelay
) -> None:
    call = await book_call(client, db, paystack_relay, dt.datetime.now(dt.UTC))
    old = (await client.post("/v1/me/calendar-feed", headers=call.client_headers)).json()["url"]
    new = (await client.post("/v1/me/calendar-feed", headers=call.client_headers)).json()["url"]
    assert old != new
    assert (await client.get(urlsplit(old).path)).status_code == 404
    assert len(await _events(client, new)) == 1
    assert (await client.delete("/v1/me/calendar-feed", headers=call.client_headers)).status_code == 204
    revoked = await client.get(urlsplit(new).path)
    assert (revoked.status_code, revoked.json()["code"]) == (404, "calendar_feed_not_found")
