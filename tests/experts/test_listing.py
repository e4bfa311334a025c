"""The public listing: gating, full-text search, filters, keyset pages, soonest and free-slot filter."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from procus.domain.availability import BookingSettings
from procus.domain.errors import InvalidInput
from procus.domain.marketplace import ExpertSearch, ExpertSort, FreeStart, ListingCursor, search_words
from procus.services.accounts.avatars import AvatarService
from procus.services.experts.directory_index import DirectoryIndex
from procus.services.experts.marketplace import MarketplaceService
from procus.store.db import Database
from tests.support.experts import insert_area, insert_busy, insert_expert, set_availability, weekdays
from tests.support.fakes import FakeClock

MONDAY = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
NO_NOTICE = BookingSettings(min_notice_minutes=0)


async def listed(
    db: Database,
    name: str = "Ada Lovelace",
    *,
    headline: str = "Engineer",
    bio: str = "",
    area: str = "Mentoring",
    category: str = "technology",
    price: int = 100_00,
    currency: str = "NGN",
    languages: tuple[str, ...] = ("en",),
    rating: str | None = None,
) -> uuid.UUID:
    expert_id = await insert_expert(db, full_name=name, headline=headline, bio=bio, languages=languages, rating=rating)
    await insert_area(db, expert_id, title=area, category=category, price=price, currency=currency)
    return expert_id


async def ids(service: MarketplaceService, **criteria: object) -> list[uuid.UUID]:
    query = criteria.pop("q", None)
    search = ExpertSearch(words=search_words(query), **criteria)  # type: ignore[arg-type]
    return [item.id for item in (await service.search(search)).items]


async def all_pages(service: MarketplaceService, search: ExpertSearch) -> tuple[list[uuid.UUID], int]:
    seen: list[uuid.UUID] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = await service.search(search, cursor)
        pages += 1
        seen += [item.id for item in page.items]
        if page.next_cursor is None:
            return seen, pages
        cursor = page.next_cursor


async def test_only_published_approved_active_experts_with_an_active_area_are_listed(
    db: Database, clock: FakeClock, avatars: AvatarService
) -> None:
    shown = await listed(db)
    for hidden in ({"published": False}, {"approval": "pending"}, {"approval": "rejected"}, {"active": False}):
        await insert_area(db, await insert_expert(db, **hidden))  # type: ignore[arg-type]
    await insert_area(db, await insert_expert(db), active=False)
    await insert_expert(db)
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    assert await ids(service, sort=ExpertSort.RATING) == [shown]


async def test_full_text_search_over_name_headline_bio_and_area_titles(
    db: Database, clock: FakeClock, avatars: AvatarService
) -> None:
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    ada = await listed(db, "Ada Lovelace", headline="Machine learning engineer", bio="I teach neural networks")
    grace = await listed(db, "Grace Hopper", headline="Compiler consultant", area="COBOL modernisation")
    tunde = await listed(db, "Tunde Bakare", headline="Tax lawyer", bio="Corporate tax and contracts")
    assert await ids(service, q="lovelace") == [ada]
    assert await ids(service, q="Learn") == [ada]
    assert await ids(service, q="network") == [ada]
    assert await ids(service, q="cobol") == [grace]
    assert await ids(service, q="contracts, TAX!") == [tunde]
    assert await ids(service, q="the lawyer") == [tunde]
    assert await ids(service, q="tax compiler") == []
    assert await ids(service, q="the of and") == []
    assert set(await ids(service)) == {ada, grace, tunde}


async def test_relevance_prefers_headline_matches(db: Database, clock: FakeClock, avatars: AvatarService) -> None:
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    in_bio = await listed(db, "Bio Person", headline="Consultant", bio="Sometimes python")
    in_headline = await listed(db, "Head Person", headline="Python trainer")
    assert await ids(service, q="python", sort=ExpertSort.RELEVANCE) == [in_headline, in_bio]


async def test_area_and_profile_filters(db: Database, clock: FakeClock, avatars: AvatarService) -> None:
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    cheap = await listed(db, "Cheap", price=50_00, category="career", languages=("en", "yo"))
    dear = await listed(db, "Dear", price=500_00, category="career", languages=("fr",))
    dollars = await listed(db, "Dollars", price=100_00, currency="USD", category="legal")
    await insert_area(db, dear, title="Quick chat", category="legal", price=20_00)
    assert set(await ids(service, category="career")) == {cheap, dear}
    assert set(await ids(service, category="legal")) == {dollars, dear}
    assert await ids(service, min_price=60_00, max_price=600_00, currency="NGN", sort=ExpertSort.PRICE) == [dear]
    assert await ids(service, max_price=30_00, sort=ExpertSort.PRICE) == [dear]
    assert await ids(service, currency="USD") == [dollars]
    assert await ids(service, language="yo") == [cheap]
    assert await ids(service, language="fr", category="career") == [dear]
    with pytest.raises(InvalidInput) as bad_range:
        ExpertSearch(min_price=10, max_price=5)
    assert bad_range.value.field == "max_price"


async def test_cards_show_the_cheapest_matching_area(db: Database, clock: FakeClock, avatars: AvatarService) -> None:
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    expert = await listed(db, price=300_00, category="career")
    await insert_area(db, expert, title="Short call", category="legal", price=120_00, duration=30)
    [card] = (await service.search(ExpertSearch())).items
    assert (card.from_price.amount, card.min_duration_minutes, card.categories) == (120_00, 30, ("career", "legal"))
    [career] = (await service.search(ExpertSearch(category="career"))).items
    assert career.from_price.amount == 300_00


@pytest.mark.parametrize("sort", [ExpertSort.PRICE, ExpertSort.RATING, ExpertSort.RELEVANCE])
async def test_keyset_pages_cover_everyone_once_in_order_even_as_experts_join(
    db: Database, clock: FakeClock, avatars: AvatarService, sort: ExpertSort
) -> None:
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    prices = [300, 100, 200, 200, 500, 100, 400]
    ratings = ["4.50", None, "3.00", "4.50", None, "5.00", "2.25"]
    for index, (price, rating) in enumerate(zip(prices, ratings, strict=True)):
        await listed(db, f"Expert {index}", headline="Python " * (index % 3 + 1), price=price, rating=rating)
    words = search_words("python") if sort is ExpertSort.RELEVANCE else ()
    everyone = (await service.search(ExpertSearch(words=words, sort=sort, limit=50))).items
    assert len(everyone) == 7
    first = await service.search(ExpertSearch(words=words, sort=sort, limit=3))
    assert [c.id for c in first.items] == [c.id for c in everyone[:3]]
    assert first.next_cursor is not None
    # Sorts before the cursor in every order, so later pages must not show it (nor repeat anyone).
    await listed(db, "Latecomer", headline="Python " * 6, price=100, rating="5.00")
    rest, _ = await all_pages_from(service, ExpertSearch(words=words, sort=sort, limit=3), first.next_cursor)
    assert rest == [c.id for c in everyone[3:]]


async def all_pages_from(service: MarketplaceService, search: ExpertSearch, cursor: str) -> tuple[list[uuid.UUID], int]:
    seen: list[uuid.UUID] = []
    pages = 0
    current: str | None = cursor
    while current is not None:
        page = await service.search(search, current)
        pages += 1
        seen += [item.id for item in page.items]
        current = page.next_cursor
    return seen, pages


async def test_cursors_are_checked(db: Database, clock: FakeClock, avatars: AvatarService) -> None:
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    for index in range(3):
        await listed(db, f"Expert {index}")
    page = await service.search(ExpertSearch(sort=ExpertSort.PRICE, limit=1))
    assert page.next_cursor is not None
    with pytest.raises(InvalidInput) as mismatch:
        await service.search(ExpertSearch(sort=ExpertSort.RATING, limit=1), page.next_cursor)
    assert (mismatch.value.code, mismatch.value.field) == ("cursor_mismatch", "cursor")
    with pytest.raises(InvalidInput) as garbage:
        await service.search(ExpertSearch(sort=ExpertSort.PRICE, limit=1), "not-a-cursor")
    assert garbage.value.code == "invalid_cursor"
    bigger = await service.search(ExpertSearch(sort=ExpertSort.PRICE, limit=2), page.next_cursor)
    assert len(bigger.items) == 2
    search = ExpertSearch(sort=ExpertSort.PRICE, limit=1)
    for key in ("1e9", str(2**63), "-1", "NaN"):
        forged = ListingCursor(search=search.fingerprint(), key=key, id=uuid.uuid4()).encode()
        with pytest.raises(InvalidInput) as tampered:
            await service.search(search, forged)
        assert tampered.value.code == "invalid_cursor", key


async def _soonest_fixture(db: Database) -> dict[str, uuid.UUID]:
    experts = {name: await listed(db, name.title()) for name in ("today", "tomorrow", "wednesday", "never")}
    for name in ("today", "tomorrow"):
        await set_availability(db, experts[name], rules=weekdays(9 * 60, 12 * 60), settings=NO_NOTICE)
    await insert_busy(db, experts["tomorrow"], MONDAY.replace(hour=9), MONDAY.replace(hour=12))
    await set_availability(db, experts["wednesday"], rules=weekdays(10 * 60, 11 * 60, range(2, 3)), settings=NO_NOTICE)
    return experts


async def test_soonest_sort_and_free_slot_filter_use_the_slot_engine(
    db: Database, clock: FakeClock, avatars: AvatarService
) -> None:
    clock.current = MONDAY.replace(hour=8)
    experts = await _soonest_fixture(db)
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    order = [experts[name] for name in ("today", "tomorrow", "wednesday", "never")]
    soonest = await service.search(ExpertSearch(sort=ExpertSort.SOONEST))
    assert [item.id for item in soonest.items] == order
    assert [item.next_free_slot for item in soonest.items] == [
        MONDAY.replace(hour=9),
        MONDAY.replace(hour=9) + dt.timedelta(days=1),
        MONDAY.replace(hour=10) + dt.timedelta(days=2),
        None,
    ]
    assert await ids(service, sort=ExpertSort.SOONEST, free_within_days=1) == order[:1]
    assert await ids(service, sort=ExpertSort.SOONEST, free_within_days=2) == order[:2]
    assert set(await ids(service, sort=ExpertSort.PRICE, free_within_days=3)) == set(order[:3])
    paged, pages = await all_pages(service, ExpertSearch(sort=ExpertSort.SOONEST, limit=3))
    assert (paged, pages) == (order, 2)


async def test_free_between_two_instants(db: Database, clock: FakeClock, avatars: AvatarService) -> None:
    clock.current = MONDAY.replace(hour=8)
    experts = await _soonest_fixture(db)
    service = MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock))
    tuesday = MONDAY + dt.timedelta(days=1)

    async def free(start: dt.datetime, end: dt.datetime) -> set[uuid.UUID]:
        return set(await ids(service, free_from=start, free_to=end, sort=ExpertSort.SOONEST))

    assert await free(tuesday.replace(hour=9), tuesday.replace(hour=12)) == {experts["today"], experts["tomorrow"]}
    # Monday 9-12 is taken for "tomorrow"; a 60-minute call can start up to 11:00 on the quarter hour.
    assert await free(MONDAY.replace(hour=11), MONDAY.replace(hour=11, minute=1)) == {experts["today"]}
    assert await free(MONDAY.replace(hour=11, minute=1), MONDAY.replace(hour=11, minute=14)) == set()
    assert await free(MONDAY.replace(hour=11, minute=5), MONDAY.replace(hour=12)) == set()
    wednesday = MONDAY + dt.timedelta(days=2)
    assert await free(wednesday.replace(hour=10, minute=1), wednesday.replace(hour=10, minute=16)) == {
        experts["today"],
        experts["tomorrow"],
    }
    # Each card gives its first start in the window and the area to book it in: the cheapest matching
    # area of the shortest call. A cheaper but longer area of "today" is not it; a cheaper area of
    # "tomorrow" of the same length is, unless the price range leaves it out.
    await insert_busy(db, experts["today"], tuesday.replace(hour=10), tuesday.replace(hour=10, minute=40))
    async with db.connection() as conn:
        first_areas = dict(await conn.fetch("SELECT expert_id, id FROM expertise_areas"))
    await insert_area(db, experts["today"], duration=90, price=1_00)
    cheaper = await insert_area(db, experts["tomorrow"], duration=60, price=20_00)
    for low, high, tomorrows in ((None, None, cheaper), (50_00, 100_00, first_areas[experts["tomorrow"]])):
        start, end = tuesday.replace(hour=10, minute=5), tuesday.replace(hour=11)
        cards = (await service.search(ExpertSearch(free_from=start, free_to=end, min_price=low, max_price=high))).items
        assert {card.id: card.first_free_between for card in cards} == {
            experts["today"]: FreeStart(tuesday.replace(hour=10, minute=45), first_areas[experts["today"]]),
            experts["tomorrow"]: FreeStart(tuesday.replace(hour=10, minute=15), tomorrows),
        }, (low, high)
    assert all(card.first_free_between is None for card in (await service.search(ExpertSearch())).items)
    with pytest.raises(InvalidInput) as backwards:
        ExpertSearch(free_from=tuesday, free_to=MONDAY)
    assert backwards.value.code == "invalid_free_between"
