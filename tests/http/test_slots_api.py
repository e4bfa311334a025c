"""GET /v1/experts/{id}/slots: RFC 3339 UTC instants, across DST changes, with optional local grouping."""

from __future__ import annotations

import datetime as dt
import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.domain.availability import BookingSettings, WeeklyRule
from procus.store.db import Database
from tests.support.experts import insert_area, insert_busy, insert_expert, set_availability, weekdays
from tests.support.fakes import FakeClock

Client = AsyncTestClient[Litestar]
NO_NOTICE = BookingSettings(min_notice_minutes=0)


async def london_expert(db: Database, rules: tuple[WeeklyRule, ...]) -> tuple[uuid.UUID, uuid.UUID]:
    expert_id = await insert_expert(db, time_zone="Europe/London")
    area_id = await insert_area(db, expert_id, duration=60)
    await set_availability(db, expert_id, time_zone="Europe/London", rules=rules, settings=NO_NOTICE)
    return expert_id, area_id


def quarter_hours(first: str, count: int) -> list[str]:
    start = dt.datetime.fromisoformat(first)
    return [(start + dt.timedelta(minutes=15 * i)).strftime("%Y-%m-%dT%H:%M:%SZ") for i in range(count)]


async def test_spring_forward_moves_utc_instants_and_tz_only_groups_them(
    client: Client, db: Database, clock: FakeClock
) -> None:
    clock.current = dt.datetime(2027, 3, 20, tzinfo=dt.UTC)
    expert_id, area_id = await london_expert(db, weekdays(9 * 60, 11 * 60))
    params = {"area_id": str(area_id), "from": "2027-03-27T00:00:00Z", "to": "2027-03-29T00:00:00+00:00"}
    plain = await client.get(f"/v1/experts/{expert_id}/slots", params=params)
    assert plain.status_code == 200, plain.text
    body = plain.json()
    saturday = quarter_hours("2027-03-27T09:00:00", 5)  # GMT: local 09:00 is 09:00Z
    sunday = quarter_hours("2027-03-28T08:00:00", 5)  # BST from 01:00Z: local 09:00 is 08:00Z
    assert body["slots"] == saturday + sunday
    assert (body["from"], body["to"], body["duration_minutes"]) == ("2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z", 60)
    assert "by_local_date" not in body
    assert "time_zone" not in body

    grouped = (await client.get(f"/v1/experts/{expert_id}/slots", params={**params, "tz": "Pacific/Kiritimati"})).json()
    assert grouped["slots"] == body["slots"]
    assert grouped["time_zone"] == "Pacific/Kiritimati"
    # UTC+14: Saturday's 10:00Z start is already Sunday there.
    assert grouped["by_local_date"] == {"2027-03-27": saturday[:4], "2027-03-28": saturday[4:] + sunday}
    london = (await client.get(f"/v1/experts/{expert_id}/slots", params={**params, "tz": "Europe/London"})).json()
    assert london["by_local_date"] == {"2027-03-27": saturday, "2027-03-28": sunday}


async def test_fall_back_repeats_the_local_hour(client: Client, db: Database, clock: FakeClock) -> None:
    clock.current = dt.datetime(2027, 10, 20, tzinfo=dt.UTC)
    expert_id, area_id = await london_expert(db, (WeeklyRule(6, 0, 3 * 60),))
    await insert_busy(
        db, expert_id, dt.datetime(2027, 10, 31, 1, tzinfo=dt.UTC), dt.datetime(2027, 10, 31, 1, 30, tzinfo=dt.UTC)
    )
    params = {
        "area_id": str(area_id),
        "from": "2027-10-30T12:00:00Z",
        "to": "2027-11-01T00:00:00Z",
        "tz": "Europe/London",
    }
    body = (await client.get(f"/v1/experts/{expert_id}/slots", params=params)).json()
    # Local 00:00-03:00 on the fall-back Sunday is 23:00Z..03:00Z, four real hours; 01:00-01:30Z is held.
    expected = quarter_hours("2027-10-30T23:00:00", 5) + quarter_hours("2027-10-31T01:30:00", 3)
    assert body["slots"] == expected
    assert body["by_local_date"] == {"2027-10-31": expected}


async def test_slot_requests_are_validated(client: Client, db: Database, clock: FakeClock) -> None:
    clock.current = dt.datetime(2027, 3, 20, tzinfo=dt.UTC)
    expert_id, area_id = await london_expert(db, weekdays(9 * 60, 11 * 60))
    other_id, other_area = await london_expert(db, weekdays(9 * 60, 11 * 60))
    inactive = await insert_area(db, expert_id, active=False)
    url = f"/v1/experts/{expert_id}/slots"
    base = {"area_id": str(area_id), "from": "2027-03-21T00:00:00Z", "to": "2027-03-22T00:00:00Z"}

    async def problem(params: dict[str, str], path: str = url) -> tuple[int, str, str | None]:
        response = await client.get(path, params=params)
        body = response.json()
        errors = body.get("errors") or [{}]
        return response.status_code, body.get("code"), errors[0].get("field")

    assert await problem({**base, "from": "2027-03-21"}) == (422, "invalid_datetime", "from")
    assert await problem({**base, "from": "2027-03-21T00:00:00"}) == (422, "invalid_datetime", "from")
    assert await problem({**base, "to": "2027-02-30T00:00:00Z"}) == (422, "invalid_datetime", "to")
    assert await problem({**base, "to": "2027-05-23T00:00:00Z"}) == (422, "window_too_long", "to")
    assert await problem({**base, "to": "2027-03-20T00:00:00Z"}) == (422, "empty_window", "to")
    assert await problem({**base, "tz": "Mars/Base"}) == (422, "invalid_time_zone", "tz")
    assert (await problem({**base, "area_id": str(uuid.uuid4())}))[:2] == (404, "area_not_found")
    assert (await problem({**base, "area_id": str(other_area)}))[:2] == (404, "area_not_found")
    assert (await problem({**base, "area_id": str(inactive)}))[:2] == (409, "area_inactive")
    assert (await problem({"from": base["from"]}))[0] == 400
    async with db.connection() as conn:
        await conn.execute("UPDATE expert_profiles SET published = false WHERE user_id = $1", other_id)
    hidden = await problem({**base, "area_id": str(other_area)}, f"/v1/experts/{other_id}/slots")
    assert hidden[:2] == (404, "expert_not_found")
    default_window = (await client.get(url, params={"area_id": str(area_id)})).json()
    assert (default_window["from"], default_window["to"]) == ("2027-03-20T00:00:00Z", "2027-03-27T00:00:00Z")
    assert len(default_window["slots"]) == 7 * 5
