"""Favorites over HTTP: add (idempotent), list with the next free time, remove; only listed experts."""

from __future__ import annotations

import datetime as dt

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.domain.availability import Availability, BookingSettings, WeeklyRule
from procus.domain.favorites import opens_new_hours
from procus.store.db import Database
from tests.support.bookings import http_expert, http_user
from tests.support.experts import insert_expert

Client = AsyncTestClient[Litestar]


async def test_favorites_list_with_next_free_time(client: Client, db: Database) -> None:
    expert, _ = await http_expert(client, db)
    unlisted = await insert_expert(db, published=False)
    _, headers = await http_user(client, db)

    assert (await client.get("/v1/me/favorites")).status_code == 401
    assert (await client.put(f"/v1/me/favorites/{expert.id}", headers=headers)).status_code == 204
    assert (await client.put(f"/v1/me/favorites/{expert.id}", headers=headers)).status_code == 204
    missing = await client.put(f"/v1/me/favorites/{unlisted}", headers=headers)
    assert missing.status_code == 404

    listed = await client.get("/v1/me/favorites", headers=headers)
    assert listed.status_code == 200
    [favorite] = listed.json()
    assert favorite["expert_id"] == str(expert.id)
    assert favorite["bookable"] is True
    next_free = dt.datetime.fromisoformat(favorite["next_free_slot"])
    now = dt.datetime.now(dt.UTC)
    assert now + dt.timedelta(minutes=59) < next_free < now + dt.timedelta(hours=3)

    assert (await client.delete(f"/v1/me/favorites/{expert.id}", headers=headers)).status_code == 204
    assert (await client.get("/v1/me/favorites", headers=headers)).json() == []


def test_new_hours_means_time_that_was_closed_before() -> None:
    mornings = Availability(timezone="UTC", rules=(WeeklyRule(0, 540, 720),))
    shorter = Availability(timezone="UTC", rules=(WeeklyRule(0, 540, 600),))
    tuesday = Availability(timezone="UTC", rules=(WeeklyRule(0, 540, 720), WeeklyRule(1, 540, 600)))
    farther = Availability(timezone="UTC", rules=mornings.rules, settings=BookingSettings(horizon_days=90))
    assert not opens_new_hours(mornings, shorter)
    assert not opens_new_hours(mornings, mornings)
    assert opens_new_hours(shorter, mornings)
    assert opens_new_hours(mornings, tuesday)
    assert opens_new_hours(mornings, farther)
