"""Reviews over the real database: eligibility, one per booking, the edit window, the reply, hiding,
the profile's figures and paging, the directory's rating sort, and averages under concurrent reviews."""

from __future__ import annotations

import asyncio
import datetime as dt
import decimal
import uuid

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.domain.accounts import Role
from procus.domain.admin_audit import AdminActor
from procus.domain.errors import Conflict, NotFound, PermissionDenied
from procus.services.trust.reviews import ReviewService
from procus.store.db import Database
from tests.support.bookings import http_expert, http_user, insert_client, principal
from tests.support.experts import insert_admin, insert_area, insert_expert
from tests.support.fakes import FakeClock
from tests.support.trust import http_admin, insert_booking

Client = AsyncTestClient[Litestar]


@pytest.fixture
def reviews(db: Database, clock: FakeClock) -> ReviewService:
    return ReviewService(db, clock)


async def _expert_and_area(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    expert_id = await insert_expert(db)
    return expert_id, await insert_area(db, expert_id)


async def _figures(db: Database, expert_id: uuid.UUID) -> tuple[decimal.Decimal | None, int]:
    async with db.connection() as conn:
        row = await conn.fetchrow(
            "SELECT rating_average, review_count FROM expert_profiles WHERE user_id = $1", expert_id
        )
    assert row is not None
    return row["rating_average"], row["review_count"]


async def test_only_the_client_of_a_completed_call_reviews_it_once(
    db: Database, clock: FakeClock, reviews: ReviewService
) -> None:
    expert_id, area_id = await _expert_and_area(db)
    client_id, stranger_id = await insert_client(db), await insert_client(db)
    past = clock.now() - dt.timedelta(days=1)
    done = await insert_booking(db, expert_id=expert_id, client_id=client_id, area_id=area_id, starts_at=past)
    cancelled = await insert_booking(
        db, expert_id=expert_id, client_id=client_id, area_id=area_id, starts_at=past, status="cancelled"
    )
    with pytest.raises(Conflict) as not_completed:
        await reviews.create(principal(client_id), cancelled, 5, "")
    assert not_completed.value.code == "booking_not_completed"
    with pytest.raises(NotFound):
        await reviews.create(principal(stranger_id), done, 5, "")
    with pytest.raises(PermissionDenied) as by_expert:
        await reviews.create(principal(expert_id, Role.EXPERT), done, 5, "")
    assert by_expert.value.code == "only_client_reviews"

    review = await reviews.create(principal(client_id), done, 4, "  Clear and kind.  ")
    assert (review.rating, review.text, review.reply) == (4, "Clear and kind.", None)
    with pytest.raises(Conflict) as twice:
        await reviews.create(principal(client_id), done, 5, "again")
    assert twice.value.code == "already_reviewed"
    assert await _figures(db, expert_id) == (decimal.Decimal("4.00"), 1)


async def test_a_review_must_come_within_thirty_days_of_the_call(
    db: Database, clock: FakeClock, reviews: ReviewService
) -> None:
    expert_id, area_id = await _expert_and_area(db)
    client_id = await insert_client(db)
    start = clock.now() - dt.timedelta(days=31)
    ended = start + dt.timedelta(minutes=60)
    late = await insert_booking(db, expert_id=expert_id, client_id=client_id, area_id=area_id, starts_at=start)
    clock.current = ended + dt.timedelta(days=30, seconds=1)
    with pytest.raises(Conflict) as closed:
        await reviews.create(principal(client_id), late, 3, "")
    assert closed.value.code == "review_window_closed"
    clock.current = ended + dt.timedelta(days=30)
    assert (await reviews.create(principal(client_id), late, 3, "")).rating == 3


async def test_the_client_may_edit_for_48_hours_and_the_average_follows(
    db: Database, clock: FakeClock, reviews: ReviewService
) -> None:
    expert_id, area_id = await _expert_and_area(db)
    client_id = await insert_client(db)
    past = clock.now() - dt.timedelta(hours=3)
    booking_id = await insert_booking(db, expert_id=expert_id, client_id=client_id, area_id=area_id, starts_at=past)
    review = await reviews.create(principal(client_id), booking_id, 2, "Late start")
    with pytest.raises(NotFound):
        await reviews.update(principal(expert_id, Role.EXPERT), review.id, rating=5, text=None)
    clock.advance(hours=47)
    edited = await reviews.update(principal(client_id), review.id, rating=5, text=None)
    assert (edited.rating, edited.text) == (5, "Late start")
    assert await _figures(db, expert_id) == (decimal.Decimal("5.00"), 1)
    clock.advance(hours=1, seconds=1)
    with pytest.raises(Conflict) as closed:
        await reviews.update(principal(client_id), review.id, rating=1, text="")
    assert closed.value.code == "review_edit_window_closed"


async def test_the_expert_replies_once_and_the_client_is_told(
    db: Database, clock: FakeClock, reviews: ReviewService
) -> None:
    expert_id, area_id = await _expert_and_area(db)
    other_expert, _ = await _expert_and_area(db)
    client_id = await insert_client(db)
    booking_id = await insert_booking(
        db, expert_id=expert_id, client_id=client_id, area_id=area_id, starts_at=clock.now() - dt.timedelta(days=2)
    )
    review = await reviews.create(principal(client_id), booking_id, 5, "Great")
    with pytest.raises(NotFound):
        await reviews.reply(principal(other_expert, Role.EXPERT), review.id, "Thanks")
    replied = await reviews.reply(principal(expert_id, Role.EXPERT), review.id, " Thank you! ")
    assert replied.reply == "Thank you!"
    assert replied.replied_at == clock.now()
    with pytest.raises(Conflict) as again:
        await reviews.reply(principal(expert_id, Role.EXPERT), review.id, "Once more")
    assert again.value.code == "review_already_replied"
    async with db.connection() as conn:
        kinds = await conn.fetch(
            "SELECT user_id, kind FROM notifications WHERE kind LIKE 'review.%' ORDER BY seq, user_id"
        )
    assert {(row["user_id"], row["kind"]) for row in kinds} == {
        (expert_id, "review.received"),
        (client_id, "review.replied"),
    }


async def test_hidden_reviews_leave_the_list_and_the_average_and_the_hide_is_audited(
    db: Database, clock: FakeClock, reviews: ReviewService
) -> None:
    expert_id, area_id = await _expert_and_area(db)
    admin = AdminActor(principal=principal(await insert_admin(db), Role.ADMIN), address="203.0.113.9")
    made = []
    for rating in (5, 1, 4):
        client_id = await insert_client(db)
        booking_id = await insert_booking(
            db, expert_id=expert_id, client_id=client_id, area_id=area_id, starts_at=clock.now() - dt.timedelta(days=1)
        )
        made.append(await reviews.create(principal(client_id), booking_id, rating, f"{rating} stars"))
        clock.advance(seconds=1)
    assert await _figures(db, expert_id) == (decimal.Decimal("3.33"), 3)

    hidden = await reviews.hide(admin, made[1].id, "Abusive language")
    assert hidden.hidden
    assert hidden.hidden_reason == "Abusive language"
    assert await _figures(db, expert_id) == (decimal.Decimal("4.50"), 2)
    page = await reviews.expert_reviews(expert_id, None)
    assert [r.rating for r in page.items] == [4, 5]
    assert (page.summary.average, page.summary.count) == (4.5, 2)
    assert page.summary.distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    with pytest.raises(Conflict):
        await reviews.hide(admin, made[1].id, "Twice")
    with pytest.raises(Conflict) as frozen:
        await reviews.update(principal(made[1].client_id), made[1].id, rating=5, text=None)
    assert frozen.value.code == "review_hidden"

    async with db.connection() as conn:
        rows = await conn.fetch("SELECT * FROM admin_audit WHERE target_id = $1", str(made[1].id))
    assert len(rows) == 1
    entry = rows[0]
    assert (entry["action"], entry["target_type"], entry["reason"]) == ("review.hide", "review", "Abusive language")
    assert (entry["admin_id"], entry["client_address"]) == (admin.admin_id, "203.0.113.9")
    assert entry["before"] == {"rating": 1, "hidden_at": None}
    assert entry["after"]["hidden_reason"] == "Abusive language"
    assert entry["after"]["hidden_at"] is not None


async def test_the_profile_pages_reviews_newest_first_with_a_cursor(
    db: Database, clock: FakeClock, reviews: ReviewService
) -> None:
    expert_id, area_id = await _expert_and_area(db)
    ratings = [5, 4, 3, 5, 2]
    for rating in ratings:
        client_id = await insert_client(db)
        booking_id = await insert_booking(
            db, expert_id=expert_id, client_id=client_id, area_id=area_id, starts_at=clock.now() - dt.timedelta(days=1)
        )
        await reviews.create(principal(client_id), booking_id, rating, "")
    seen: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        page = await reviews.expert_reviews(expert_id, cursor, limit=2)
        seen += [r.rating for r in page.items]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert sorted(seen) == sorted(ratings)
    assert len(seen) == 5
    assert page.summary.distribution == {1: 0, 2: 1, 3: 1, 4: 1, 5: 2}


async def test_concurrent_reviews_of_one_expert_keep_the_average_exact(
    db: Database, clock: FakeClock, reviews: ReviewService
) -> None:
    expert_id, area_id = await _expert_and_area(db)
    ratings = [1, 2, 3, 4, 5, 5, 4, 4, 3, 5, 2, 5]
    jobs = []
    for rating in ratings:
        client_id = await insert_client(db)
        booking_id = await insert_booking(
            db, expert_id=expert_id, client_id=client_id, area_id=area_id, starts_at=clock.now() - dt.timedelta(days=1)
        )
        jobs.append(reviews.create(principal(client_id), booking_id, rating, ""))
    await asyncio.gather(*jobs)
    expected = (decimal.Decimal(sum(ratings)) / len(ratings)).quantize(decimal.Decimal("0.01"), decimal.ROUND_HALF_UP)
    assert await _figures(db, expert_id) == (expected, len(ratings))


async def test_reviews_over_http_and_the_directory_sorts_by_real_ratings(client: Client, db: Database) -> None:
    expert, expert_headers = await http_expert(client, db)
    rival, _ = await http_expert(client, db)
    client_id, client_headers = await http_user(client, db)
    _, stranger_headers = await http_user(client, db)
    _, admin_headers = await http_admin(client, db)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    booking_id = await insert_booking(
        db, expert_id=rival.id, client_id=client_id, area_id=rival.area_id, starts_at=start
    )
    other_id = await insert_booking(
        db, expert_id=expert.id, client_id=client_id, area_id=expert.area_id, starts_at=start
    )

    anonymous = await client.post(f"/v1/bookings/{booking_id}/review", json={"rating": 5})
    assert anonymous.status_code == 401
    bad = await client.post(f"/v1/bookings/{booking_id}/review", json={"rating": 6}, headers=client_headers)
    assert bad.status_code == 400
    assert bad.headers["content-type"].startswith("application/problem+json")
    created = await client.post(
        f"/v1/bookings/{booking_id}/review", json={"rating": 5, "text": "Superb"}, headers=client_headers
    )
    assert created.status_code == 201, created.text
    review = created.json()
    low = await client.post(f"/v1/bookings/{other_id}/review", json={"rating": 2}, headers=client_headers)
    assert low.status_code == 201
    again = await client.post(f"/v1/bookings/{booking_id}/review", json={"rating": 4}, headers=client_headers)
    assert (again.status_code, again.json()["code"]) == (409, "already_reviewed")
    assert (await client.get(f"/v1/bookings/{booking_id}/review", headers=stranger_headers)).status_code == 404

    patched = await client.patch(f"/v1/reviews/{review['id']}", json={"text": "Superb, again"}, headers=client_headers)
    assert patched.status_code == 200
    assert patched.json()["rating"] == 5
    by_client = await client.post(f"/v1/reviews/{review['id']}/reply", json={"text": "hi"}, headers=client_headers)
    assert by_client.status_code == 403

    listing = await client.get("/v1/experts", params={"sort": "rating"})
    ids = [item["id"] for item in listing.json()["items"]]
    assert ids.index(str(rival.id)) < ids.index(str(expert.id))
    card = next(item for item in listing.json()["items"] if item["id"] == str(rival.id))
    assert (card["rating_average"], card["review_count"]) == (5.0, 1)

    page = await client.get(f"/v1/experts/{rival.id}/reviews")
    assert page.status_code == 200
    body = page.json()
    assert body["summary"] == {"average": 5.0, "count": 1, "distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 1}}
    assert [item["text"] for item in body["items"]] == ["Superb, again"]

    forbidden = await client.post(
        f"/v1/admin/reviews/{review['id']}/hide", json={"reason": "x"}, headers=expert_headers
    )
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"].startswith("application/problem+json")
    hidden = await client.post(f"/v1/admin/reviews/{review['id']}/hide", json={"reason": "Spam"}, headers=admin_headers)
    assert hidden.status_code == 200
    assert hidden.json()["hidden"] is True
    after = (await client.get(f"/v1/experts/{rival.id}/reviews")).json()
    assert after["summary"]["count"] == 0
    assert after["items"] == []
    profile = (await client.get(f"/v1/experts/{rival.id}")).json()
    assert (profile["rating_average"], profile["review_count"]) == (None, 0)
