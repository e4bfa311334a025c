"""Price-range and currency filters against the areas themselves, over every expert of a random marketplace.

With ``min_price``, ``max_price`` or ``currency`` the listing walks ``directory_offers`` (one row
per area) and keeps each expert's first matching row in the sort's order. Every page of every
sort must equal what follows from the experts' active areas directly: who has a matching area,
the card's from price (the cheapest matching area), shortest matching call and next free slot
(the slot engine's first slot among the matching areas), in the sort's order; again after prices,
areas, ratings and bookings change.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid
from typing import NamedTuple

from procus.domain.marketplace import ExpertSearch, ExpertSort
from procus.services.accounts.avatars import AvatarService
from procus.services.experts.directory_index import DirectoryIndex
from procus.services.experts.marketplace import MarketplaceService
from procus.services.experts.slots import SlotService
from procus.store.db import Database
from tests.experts.test_directory_exactness import START, WINDOW, _random_availability
from tests.support.experts import insert_area, insert_busy, insert_expert, set_availability
from tests.support.fakes import FakeClock

EXPERTS = 90
CATEGORIES = ("technology", "legal", "business")
FILTERS = (
    {"currency": "USD"},
    {"min_price": 20_00, "max_price": 60_00},
    {"max_price": 30_00, "currency": "NGN"},
    {"min_price": 50_00, "category": "legal"},
    {"min_price": 40_00, "max_price": 40_00, "category": "technology"},
)


class Area(NamedTuple):
    id: uuid.UUID
    expert_id: uuid.UUID
    category: str
    price: int
    currency: str
    duration: int
    first_slot: dt.datetime | None


class Card(NamedTuple):
    id: uuid.UUID
    price: int
    currency: str
    duration: int
    next_free: dt.datetime | None


async def _seed(db: Database, rng: random.Random) -> list[uuid.UUID]:
    experts = []
    for number in range(EXPERTS):
        rating = None if rng.random() < 0.2 else f"{rng.choice((3, 4))}.{rng.choice((0, 5))}"
        expert = await insert_expert(db, full_name=f"Expert {number}", rating=rating)
        for _ in range(rng.randrange(1, 5)):
            await insert_area(
                db,
                expert,
                category=rng.choice(CATEGORIES),
                price=rng.randrange(1, 9) * 10_00,
                currency="USD" if rng.random() < 0.2 else "NGN",
                duration=rng.choice((15, 30, 60, 90)),
                active=rng.random() < 0.9,
            )
        if rng.random() < 0.9:
            await set_availability(db, expert, **_random_availability(rng, START.date()))  # type: ignore[arg-type]
        for block in rng.sample(range(6 * 14), rng.choice((0, 1, 3, 8))):
            start = START + dt.timedelta(hours=4 * block)
            await insert_busy(db, expert, start, start + dt.timedelta(minutes=rng.choice((30, 60, 240))))
        experts.append(expert)
    return experts


async def _areas(db: Database, clock: FakeClock) -> list[Area]:
    """Every active area of a listed expert, with the slot engine's first slot for it."""
    async with db.connection() as conn:
        rows = await conn.fetch(
            "SELECT a.id, a.expert_id, a.category, a.price_amount, a.currency, a.duration_minutes"
            " FROM expertise_areas a JOIN expert_profiles p ON p.user_id = a.expert_id"
            " JOIN users u ON u.id = a.expert_id"
            " WHERE a.active AND p.published AND p.approval = 'approved' AND u.is_active ORDER BY a.expert_id, a.id"
        )
    slots = SlotService(db, clock)
    now = clock.now()
    areas = []
    for row in rows:
        listed = await slots.list_slots(row["expert_id"], row["id"], now, now + WINDOW)
        first = listed.slots[0] if listed.slots else None
        areas.append(Area(row["id"], row["expert_id"], row["category"], *list(row.values())[3:], first))
    return areas


async def _ratings(db: Database) -> dict[uuid.UUID, float]:
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT user_id, coalesce(rating_average, 0) AS rating FROM expert_profiles")
    return {row["user_id"]: float(row["rating"]) for row in rows}


def _expected(areas: list[Area], ratings: dict[uuid.UUID, float], search: ExpertSearch) -> list[Card]:
    matching: dict[uuid.UUID, list[Area]] = {}
    for area in areas:
        if (
            (search.category is None or area.category == search.category)
            and (search.min_price is None or area.price >= search.min_price)
            and (search.max_price is None or area.price <= search.max_price)
            and (search.currency is None or area.currency == search.currency)
        ):
            matching.setdefault(area.expert_id, []).append(area)
    cards = []
    for expert, offered in matching.items():
        cheapest = min(offered, key=lambda area: (area.price, area.id))
        shortest = min(area.duration for area in offered)
        slots = [area.first_slot for area in offered if area.first_slot is not None]
        next_free = min(slots) if slots else None
        assert next_free == min(
            (area.first_slot for area in offered if area.duration == shortest), key=lambda s: (s is None, s)
        ), "a shorter call is free no later than a longer one"
        cards.append(Card(expert, cheapest.price, cheapest.currency, shortest, next_free))
    if search.free_within_days:
        until = START + dt.timedelta(days=search.free_within_days)
        cards = [card for card in cards if card.next_free is not None and card.next_free < until]
    if search.sort is ExpertSort.PRICE:
        return sorted(cards, key=lambda card: (card.price, card.id))
    if search.sort is ExpertSort.SOONEST:
        return sorted(cards, key=lambda card: (card.next_free is None, card.next_free or START, card.id))
    return sorted(cards, key=lambda card: (-ratings[card.id], card.id))


async def _listed(service: MarketplaceService, search: ExpertSearch) -> list[Card]:
    seen: list[Card] = []
    cursor: str | None = None
    while True:
        page = await service.search(search, cursor)
        seen += [
            Card(
                item.id,
                item.from_price.amount,
                item.from_price.currency,
                item.min_duration_minutes,
                item.next_free_slot,
            )
            for item in page.items
        ]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


async def _assert_exact(db: Database, clock: FakeClock, service: MarketplaceService) -> int:
    areas = await _areas(db, clock)
    ratings = await _ratings(db)
    compared = 0
    for criteria in FILTERS:
        for sort in (ExpertSort.PRICE, ExpertSort.RATING, ExpertSort.SOONEST, ExpertSort.RELEVANCE):
            for free_within_days in (None, 3):
                search = ExpertSearch(sort=sort, limit=7, free_within_days=free_within_days, **criteria)  # type: ignore[arg-type]
                expected = _expected(areas, ratings, search)
                assert await _listed(service, search) == expected, search
                compared += len(expected)
    return compared


async def test_price_and_currency_filters_equal_the_areas_for_every_expert(
    db: Database, clock: FakeClock, avatars: AvatarService
) -> None:
    rng = random.Random(3)
    clock.current = START
    experts = await _seed(db, rng)
    index = DirectoryIndex(db, clock)
    service = MarketplaceService(db, clock, avatars, index)
    await index.refresh_pending()
    assert await _assert_exact(db, clock, service) > EXPERTS

    async with db.transaction() as tx:
        for expert in rng.sample(experts, 30):
            await tx.execute(
                "UPDATE expertise_areas SET price_amount = $2, active = $3 WHERE id ="
                " (SELECT id FROM expertise_areas WHERE expert_id = $1 ORDER BY id LIMIT 1)",
                expert,
                rng.randrange(1, 9) * 10_00,
                rng.random() < 0.7,
            )
        for expert in rng.sample(experts, 10):
            await tx.execute("UPDATE expert_profiles SET rating_average = 4.75 WHERE user_id = $1", expert)
    first_slots = {area.expert_id: area.first_slot for area in await _areas(db, clock) if area.first_slot is not None}
    for expert in rng.sample(sorted(first_slots), 20):
        await insert_busy(db, expert, first_slots[expert], first_slots[expert] + dt.timedelta(minutes=15))
    await index.refresh_pending()
    assert await _assert_exact(db, clock, service) > EXPERTS


async def test_two_syncs_of_one_expert_at_once_do_not_collide(db: Database) -> None:
    """A refresh's batch and a change to the same expert may write the offer rows at the same time."""
    expert = await insert_expert(db)
    await insert_area(db, expert, category="legal")
    sync = "SELECT directory_sync_listings($1::uuid[])"
    async with db.connection() as first, db.connection() as second:
        first_tx, second_tx = first.transaction(), second.transaction()
        await first_tx.start()
        await first.execute(sync, [expert])
        await second_tx.start()
        waiting = asyncio.create_task(second.execute(sync, [expert]))
        await asyncio.sleep(0.2)
        assert not waiting.done()  # held up by the first one's rows
        await first_tx.commit()
        await waiting
        await second_tx.commit()
        rows = await first.fetch("SELECT category FROM directory_offers WHERE expert_id = $1 ORDER BY 1", expert)
    assert [row["category"] for row in rows] == ["", "legal"]
