"""Favorites: fans are told through the worker when a favorite expert opens new hours, at most once a day."""

from __future__ import annotations

import uuid

from procus.bootstrap import Container
from procus.domain.accounts import Role
from procus.domain.availability import BookingSettings, DateOverride, OverrideKind, TimeRange
from procus.jobs.favorites import ENTRYPOINTS
from procus.services.trust.favorites import NEW_HOURS_JOB
from procus.store.db import Database
from tests.jobs.conftest import drain
from tests.support.bookings import insert_client, principal
from tests.support.experts import insert_area, insert_expert, set_availability, weekdays
from tests.support.fakes import FakeClock


async def _new_hours_notices(db: Database, user_id: uuid.UUID) -> int:
    async with db.connection() as conn:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'favorite.new_hours'", user_id
        )
    return count


async def _queued(db: Database) -> int:
    async with db.connection() as conn:
        count: int = await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = $1", NEW_HOURS_JOB)
    return count


async def test_fans_hear_of_new_hours_once_a_day(container: Container, db: Database, clock: FakeClock) -> None:
    expert_id = await insert_expert(db)
    await insert_area(db, expert_id)
    await set_availability(db, expert_id, rules=weekdays(9 * 60, 12 * 60))
    fan, other_fan, bystander = await insert_client(db), await insert_client(db), await insert_client(db)
    await container.favorites.add(principal(fan), expert_id)
    await container.favorites.add(principal(other_fan), expert_id)
    expert = principal(expert_id, Role.EXPERT)
    hours = container.expert_availability

    narrower = weekdays(9 * 60, 11 * 60)
    await hours.replace_own_availability(expert, rules=narrower, overrides=(), settings=BookingSettings())
    assert await _queued(db) == 0, "closing hours is not news"

    await hours.replace_own_availability(
        expert, rules=weekdays(9 * 60, 17 * 60), overrides=(), settings=BookingSettings()
    )
    await drain(container, ENTRYPOINTS)
    assert (await _new_hours_notices(db, fan), await _new_hours_notices(db, other_fan)) == (1, 1)
    assert await _new_hours_notices(db, bystander) == 0

    day = clock.now().date()
    extra = (DateOverride(day, OverrideKind.REPLACE, (TimeRange(0, 1440),)),)
    await hours.replace_own_availability(
        expert, rules=weekdays(9 * 60, 17 * 60), overrides=extra, settings=BookingSettings()
    )
    await drain(container, ENTRYPOINTS)
    assert await _new_hours_notices(db, fan) == 1, "at most once a day"

    clock.advance(days=1)
    later = (DateOverride(clock.now().date(), OverrideKind.REPLACE, (TimeRange(0, 1440),)),)
    await hours.replace_own_availability(
        expert, rules=weekdays(9 * 60, 17 * 60), overrides=later, settings=BookingSettings()
    )
    await drain(container, ENTRYPOINTS)
    assert await _new_hours_notices(db, fan) == 2
