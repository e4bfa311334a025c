"""The directory's availability index against the slot engine, over every expert of a random marketplace.

A few hundred experts get random zones, weekly hours, overrides, booking settings, call lengths and
bookings. ``sort=soonest`` (every page), ``free_within_days`` and "free between" (who is listed, and
each card's first start in the window) must equal what ``SlotService`` (the public slot list, i.e.
the slot engine) says for each of them: after the refresh job has run,
after random changes (bookings, cancellations, new hours, areas switched off, unpublishing), and as
the clock moves on and the sweep runs.

The lag bound: until a row's ``fresh_until`` the stored answer stays exact without any refresh, so
a sweep every minute that refreshes rows past it leaves them stale by at most that minute.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

from procus.domain.availability import BookingSettings, DateOverride, OverrideKind, TimeRange, WeeklyRule
from procus.domain.marketplace import ExpertCandidate, ExpertSearch, ExpertSort
from procus.services.accounts.avatars import AvatarService
from procus.services.experts.directory_index import DirectoryIndex
from procus.services.experts.marketplace import MarketplaceService
from procus.services.experts.slots import SlotService
from procus.store.db import Database
from tests.support.experts import insert_area, insert_busy, insert_expert, set_availability
from tests.support.fakes import FakeClock

START = dt.datetime(2027, 3, 24, 9, 17, tzinfo=dt.UTC)  # DST starts in Europe/US zones within the window
ZONES = ("UTC", "Europe/London", "America/New_York", "Asia/Kathmandu", "Australia/Adelaide", "Africa/Lagos")
WINDOW = dt.timedelta(days=62)
EXPERTS = 240


def _random_availability(rng: random.Random, today: dt.date) -> dict[str, object]:
    rules = []
    for weekday in range(7):
        if rng.random() < 0.3:
            continue
        start = rng.randrange(0, 80) * 15
        rules.append(WeeklyRule(weekday, start, min(1440, start + rng.randrange(2, 40) * 15)))
    overrides = []
    for offset in rng.sample(range(40), rng.randrange(0, 4)):
        day = today + dt.timedelta(days=offset)
        if rng.random() < 0.5:
            overrides.append(
                DateOverride(day, OverrideKind.REPLACE, (TimeRange(600, 600 + rng.randrange(1, 20) * 15),))
            )
        else:
            overrides.append(DateOverride(day, OverrideKind.REPLACE))
    settings = BookingSettings(
        min_notice_minutes=rng.choice((0, 60, 240, 720, 2880)),
        horizon_days=rng.choice((2, 7, 30, 60, 90)),
        buffer_before_minutes=rng.choice((0, 0, 15)),
        buffer_after_minutes=rng.choice((0, 10, 30)),
        slot_step_minutes=rng.choice((15, 30, 60)),
    )
    return {
        "time_zone": rng.choice(ZONES),
        "rules": tuple(rules),
        "overrides": tuple(sorted(overrides, key=lambda o: o.date)),
        "settings": settings,
    }


async def _seed(db: Database, rng: random.Random, now: dt.datetime) -> list[uuid.UUID]:
    experts = []
    for number in range(EXPERTS):
        expert = await insert_expert(db, full_name=f"Expert {number}")
        for _ in range(rng.randrange(1, 3)):
            await insert_area(db, expert, duration=rng.choice((15, 30, 60, 90)), price=rng.randrange(1, 100) * 100)
        if rng.random() < 0.9:
            await set_availability(db, expert, **_random_availability(rng, now.date()))  # type: ignore[arg-type]
        for block in rng.sample(range(6 * 14), rng.choice((0, 1, 3, 8))):
            start = now + dt.timedelta(hours=4 * block)
            await insert_busy(db, expert, start, start + dt.timedelta(minutes=rng.choice((30, 60, 240))))
        experts.append(expert)
    return experts


async def _engine_next_free(
    db: Database,
    clock: FakeClock,
    experts: list[uuid.UUID],
    window: tuple[dt.datetime, dt.datetime] | None = None,
) -> dict[uuid.UUID, dt.datetime | None]:
    """Per listed expert, the first slot of their shortest active area in ``window`` (default: the
    directory's 62 days from now), from SlotService."""
    async with db.connection() as conn:
        rows = await conn.fetch(
            "SELECT DISTINCT ON (a.expert_id) a.expert_id, a.id FROM expertise_areas a"
            " JOIN expert_profiles p ON p.user_id = a.expert_id JOIN users u ON u.id = a.expert_id"
            " WHERE a.active AND p.published AND p.approval = 'approved' AND u.is_active AND a.expert_id = ANY($1)"
            " ORDER BY a.expert_id, a.duration_minutes, a.id",
            experts,
        )
    slots = SlotService(db, clock)
    now = clock.now()
    found: dict[uuid.UUID, dt.datetime | None] = {}
    for row in rows:
        start, end = window or (now, now + WINDOW)
        listed = await slots.list_slots(row["expert_id"], row["id"], start, end)
        found[row["expert_id"]] = listed.slots[0] if listed.slots else None
    return found


async def _all_pages(service: MarketplaceService, search: ExpertSearch) -> list[ExpertCandidate]:
    seen: list[ExpertCandidate] = []
    cursor: str | None = None
    while True:
        page = await service.search(search, cursor)
        seen += page.items
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


async def _next_free(service: MarketplaceService, search: ExpertSearch) -> list[tuple[uuid.UUID, dt.datetime | None]]:
    return [(item.id, item.next_free_slot) for item in await _all_pages(service, search)]


async def _assert_exact(
    db: Database, clock: FakeClock, service: MarketplaceService, experts: list[uuid.UUID], rng: random.Random
) -> dict[uuid.UUID, dt.datetime | None]:
    truth = await _engine_next_free(db, clock, experts)
    expected = sorted(truth.items(), key=lambda item: (item[1] is None, item[1] or START, item[0]))
    assert await _next_free(service, ExpertSearch(sort=ExpertSort.SOONEST, limit=37)) == expected
    for days in (1, 3, 7, 30):
        until = clock.now() + dt.timedelta(days=days)
        free = [item for item in expected if item[1] is not None and item[1] < until]
        assert await _next_free(service, ExpertSearch(sort=ExpertSort.SOONEST, free_within_days=days, limit=50)) == free
        by_price = await _next_free(service, ExpertSearch(sort=ExpertSort.PRICE, free_within_days=days, limit=50))
        assert sorted(by_price) == sorted(free)
    for length in (dt.timedelta(minutes=10), dt.timedelta(hours=3), dt.timedelta(days=1)):
        start = clock.now() + dt.timedelta(minutes=rng.randrange(0, 20 * 24 * 60))
        in_window = await _engine_next_free(db, clock, experts, (start, start + length))
        between = await _all_pages(service, ExpertSearch(free_from=start, free_to=start + length, limit=50))
        # Who is listed, and each card's first start in the window.
        assert {item.id: item.first_free_between and item.first_free_between.start for item in between} == {
            expert: slot for expert, slot in in_window.items() if slot is not None
        }, start
    return truth


async def _random_changes(
    db: Database, rng: random.Random, experts: list[uuid.UUID], truth: dict, now: dt.datetime
) -> None:
    for expert in rng.sample(experts, 40):
        choice = rng.random()
        if choice < 0.4 and truth.get(expert) is not None:
            start = truth[expert]
            await insert_busy(db, expert, start, start + dt.timedelta(minutes=15))
        elif choice < 0.6:
            async with db.transaction() as tx:
                await tx.execute(
                    "UPDATE time_holds SET active = false WHERE holder_id = $1"
                    " AND booking_id = (SELECT booking_id FROM time_holds WHERE holder_id = $1 LIMIT 1)",
                    expert,
                )
        elif choice < 0.8:
            await set_availability(db, expert, **_random_availability(rng, now.date()))  # type: ignore[arg-type]
        elif choice < 0.9:
            async with db.transaction() as tx:
                await tx.execute(
                    "UPDATE expertise_areas SET active = false WHERE id = (SELECT id FROM expertise_areas"
                    " WHERE expert_id = $1 AND active ORDER BY duration_minutes LIMIT 1)",
                    expert,
                )
        else:
            async with db.transaction() as tx:
                await tx.execute("UPDATE expert_profiles SET published = NOT published WHERE user_id = $1", expert)


async def test_soonest_and_free_within_equal_the_slot_engine_for_every_expert(
    db: Database, clock: FakeClock, avatars: AvatarService
) -> None:
    rng = random.Random(18)
    clock.current = START
    experts = await _seed(db, rng, START)
    index = DirectoryIndex(db, clock)
    service = MarketplaceService(db, clock, avatars, index)
    await index.refresh_pending()
    truth = await _assert_exact(db, clock, service, experts, rng)
    assert sum(slot is not None for slot in truth.values()) > EXPERTS // 2

    await _random_changes(db, rng, experts, truth, clock.now())
    await index.refresh_pending()
    truth = await _assert_exact(db, clock, service, experts, rng)

    for step in (dt.timedelta(minutes=7), dt.timedelta(hours=5, minutes=3), dt.timedelta(days=3, hours=1)):
        clock.current += step
        await index.sweep()
        truth = await _assert_exact(db, clock, service, experts, rng)
    await _random_changes(db, rng, experts, truth, clock.now())
    clock.current += dt.timedelta(minutes=50)
    await index.sweep()
    await _assert_exact(db, clock, service, experts, rng)


async def test_the_stored_answer_stays_exact_until_its_fresh_until(
    db: Database, clock: FakeClock, avatars: AvatarService
) -> None:
    """Why one sweep a minute bounds the lag: no row goes stale before the moment it names."""
    rng = random.Random(7)
    clock.current = START
    experts = (await _seed(db, rng, START))[:60]
    index = DirectoryIndex(db, clock)
    await index.refresh_pending()
    async with db.connection() as conn:
        rows = await conn.fetch(
            "SELECT l.expert_id, f.fresh_until, f.next_free FROM directory_listings l JOIN directory_free_time f"
            " ON f.expert_id = l.expert_id AND f.duration_minutes = l.min_duration"
            " WHERE l.category = '' AND l.expert_id = ANY($1)",
            experts,
        )
    assert rows
    checked = 0
    for row in rows:
        clock.current = row["fresh_until"]
        truth = await _engine_next_free(db, clock, [row["expert_id"]])
        assert truth[row["expert_id"]] == row["next_free"], row
        checked += 1
    assert checked == len(rows)


async def test_a_change_queues_its_refresh_in_its_own_transaction(db: Database, clock: FakeClock) -> None:
    clock.current = START
    expert = await insert_expert(db)
    await insert_area(db, expert)
    index = DirectoryIndex(db, clock)
    await index.refresh_pending()
    async with db.connection() as conn:
        await conn.execute("DELETE FROM pgqueuer WHERE entrypoint = 'directory.refresh'")
        tx = conn.transaction()
        await tx.start()
        await conn.execute("UPDATE expert_profiles SET min_notice_minutes = 0 WHERE user_id = $1", expert)
        assert await conn.fetchval("SELECT count(*) FROM directory_refresh_queue WHERE expert_id = $1", expert) == 1
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'directory.refresh' AND status = 'queued'"
            )
            == 1
        )
        await tx.rollback()
        assert await conn.fetchval("SELECT count(*) FROM directory_refresh_queue") == 0
        assert await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = 'directory.refresh'") == 0
