"""GET /v1/admin/stats against a seeded month whose totals this test computes on its own.

The month is in the past, so nothing else in the database falls inside it; the rows are written
straight to the tables, each with a known time inside or outside the range.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Connection, Database
from tests.support.accounts import unique_email
from tests.support.experts import insert_area
from tests.support.trust import http_admin, insert_booking

Client = AsyncTestClient[Litestar]
START = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
END = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
INSIDE = START + dt.timedelta(days=10)
BEFORE = START - dt.timedelta(days=3)
AFTER = END + dt.timedelta(hours=1)


async def _user(conn: Connection, role: str, created_at: dt.datetime) -> uuid.UUID:
    user_id: uuid.UUID = await conn.fetchval(
        "INSERT INTO users (email, full_name, role, created_at) VALUES ($1, 'Seed', $2::user_role, $3) RETURNING id",
        unique_email(role),
        role,
        created_at,
    )
    if role == "expert":
        await conn.execute("INSERT INTO expert_profiles (user_id) VALUES ($1)", user_id)
    return user_id


async def _payment(
    conn: Connection,
    booking_id: uuid.UUID,
    client_id: uuid.UUID,
    expert_id: uuid.UUID,
    amount: int,
    currency: str,
    paid_at: dt.datetime,
) -> uuid.UUID:
    payment_id: uuid.UUID = await conn.fetchval(
        "INSERT INTO payments (booking_id, reference, client_id, expert_id, amount, currency, status, authorization_url,"
        " received_amount, received_currency, paid_at, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, 'held', 'https://pay.test', $5, $6, $7, $7, $7) RETURNING id",
        booking_id,
        f"bk-{uuid.uuid4().hex[:16]}",
        client_id,
        expert_id,
        amount,
        currency,
        paid_at,
    )
    return payment_id


async def _account(conn: Connection, kind: str, currency: str) -> int:
    account_id: int = await conn.fetchval(
        "INSERT INTO ledger_accounts (kind, currency) VALUES ($1::ledger_account_kind, $2)"
        " ON CONFLICT (kind, owner_id, currency) DO UPDATE SET kind = excluded.kind RETURNING id",
        kind,
        currency,
    )
    return account_id


async def _fee_entry(conn: Connection, payment_id: uuid.UUID, amount: int, currency: str, at: dt.datetime) -> None:
    """A release's fee part, balanced against client_payments so the entry sums to zero."""
    entry_id = await conn.fetchval(
        "INSERT INTO ledger_entries (kind, payment_id, created_at) VALUES ('release', $1, $2) RETURNING id",
        payment_id,
        at,
    )
    for kind, signed in (("platform_fees", amount), ("client_payments", -amount)):
        await conn.execute(
            "INSERT INTO ledger_lines (entry_id, account_id, currency, amount) VALUES ($1, $2, $3, $4)",
            entry_id,
            await _account(conn, kind, currency),
            currency,
            signed,
        )


async def test_stats_match_totals_computed_from_the_seed(client: Client, db: Database) -> None:
    _, admin = await http_admin(client, db)
    users_at_end: Counter[str] = Counter()
    new_users: Counter[str] = Counter()
    bookings_by_status: Counter[str] = Counter()
    gross: defaultdict[str, list[int]] = defaultdict(list)
    fees: defaultdict[str, list[int]] = defaultdict(list)
    refunds: defaultdict[str, list[int]] = defaultdict(list)
    payouts: defaultdict[str, list[int]] = defaultdict(list)
    finished = no_shows = 0
    ratings: list[int] = []

    async with db.transaction() as conn:
        people: dict[str, list[uuid.UUID]] = defaultdict(list)
        for role, when in [
            ("client", BEFORE),
            ("client", INSIDE),
            ("client", INSIDE),
            ("expert", INSIDE),
            ("expert", BEFORE),
            ("admin", BEFORE),
            ("client", AFTER),
            ("expert", AFTER),
        ]:
            people[role].append(await _user(conn, role, when))
            if when < END:
                users_at_end[role] += 1
            if START <= when < END:
                new_users[role] += 1
    expert_id, client_id = people["expert"][0], people["client"][0]
    area_id = await insert_area(db, expert_id)

    seeded = [
        # (status, booking created, call start, payment (amount, currency, paid_at) or None)
        ("completed", INSIDE, INSIDE, (100_00, "NGN", INSIDE)),
        ("completed", INSIDE, INSIDE + dt.timedelta(days=1), (30_00, "USD", INSIDE)),
        ("no_show_expert", INSIDE, INSIDE + dt.timedelta(days=2), (70_00, "NGN", INSIDE)),
        ("no_show_client", BEFORE, INSIDE + dt.timedelta(days=3), (20_00, "USD", BEFORE)),
        ("cancelled", INSIDE, AFTER, None),
        ("completed", BEFORE, BEFORE, (55_00, "NGN", BEFORE)),
        ("pending", AFTER, AFTER + dt.timedelta(days=1), None),
    ]
    payment_ids = []
    for status, created, starts, paid in seeded:
        booking_id = await insert_booking(
            db,
            expert_id=expert_id,
            client_id=client_id,
            area_id=area_id,
            starts_at=starts,
            status=status,
            created_at=created,
        )
        if START <= created < END:
            bookings_by_status[status] += 1
        if START <= starts < END and status in ("completed", "no_show_client", "no_show_expert", "no_show_both"):
            finished += 1
            no_shows += status.startswith("no_show")
        if paid is not None:
            amount, currency, paid_at = paid
            async with db.transaction() as conn:
                payment_ids.append(
                    (
                        await _payment(conn, booking_id, client_id, expert_id, amount, currency, paid_at),
                        amount,
                        currency,
                        paid_at,
                        booking_id,
                    )
                )
            if START <= paid_at < END:
                gross[currency].append(amount)

    async with db.transaction() as conn:
        for payment_id, amount, currency, paid_at, _ in payment_ids:
            fee = amount // 10
            await _fee_entry(conn, payment_id, fee, currency, paid_at)
            if START <= paid_at < END:
                fees[currency].append(fee)
        for (payment_id, amount, currency, _, _), processed_at, status in zip(
            payment_ids,
            [INSIDE, AFTER, INSIDE, INSIDE],
            ["processed", "processed", "queued", "processed"],
            strict=False,
        ):
            await conn.execute(
                "INSERT INTO refunds (payment_id, amount, currency, status, created_at, updated_at, processed_at)"
                " VALUES ($1, $2, $3, $4::refund_status, $5, $5, $6)",
                payment_id,
                amount // 4,
                currency,
                status,
                processed_at,
                processed_at if status == "processed" else None,
            )
            if status == "processed" and START <= processed_at < END:
                refunds[currency].append(amount // 4)
        for amount, currency, status, paid_at in [
            (40_00, "NGN", "paid", INSIDE),
            (15_00, "USD", "paid", INSIDE),
            (25_00, "NGN", "paid", AFTER),
            (9_00, "NGN", "pending", INSIDE),
        ]:
            payout_id = await conn.fetchval(
                "INSERT INTO payouts (expert_id, amount, currency, status, recipient_code, created_at, updated_at)"
                " VALUES ($1, $2, $3, $4::payout_status, 'RCP_x', $5, $5) RETURNING id",
                expert_id,
                amount,
                currency,
                status,
                paid_at,
            )
            if status == "paid":
                await conn.execute(
                    "INSERT INTO payout_events (payout_id, from_status, to_status, created_at)"
                    " VALUES ($1, 'processing', 'paid', $2)",
                    payout_id,
                    paid_at,
                )
                if START <= paid_at < END:
                    payouts[currency].append(amount)
        for (_, _, _, _, booking_id), rating, written, hidden in zip(
            payment_ids,
            [5, 2, 4, 1, 3],
            [INSIDE, INSIDE, INSIDE, INSIDE, BEFORE],
            [False, False, False, True, False],
            strict=False,
        ):
            await conn.execute(
                "INSERT INTO reviews (booking_id, expert_id, client_id, rating, created_at, updated_at, hidden_at,"
                " hidden_reason) VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
                booking_id,
                expert_id,
                client_id,
                rating,
                written,
                written if hidden else None,
                "spam" if hidden else None,
            )
            if not hidden and START <= written < END:
                ratings.append(rating)

    response = await client.get(
        "/v1/admin/stats", params={"from": START.isoformat(), "to": END.isoformat()}, headers=admin
    )
    assert response.status_code == 200, response.text
    stats = response.json()

    def amounts(found: dict[str, list[int]]) -> list[dict[str, object]]:
        return [{"currency": c, "amount": sum(v), "count": len(v)} for c, v in sorted(found.items())]

    assert stats["users_by_role"] == dict(users_at_end)
    assert stats["new_users_by_role"] == dict(new_users)
    assert stats["bookings_by_status"] == dict(bookings_by_status)
    assert stats["gross_volume"] == amounts(gross)
    assert stats["fees"] == amounts(fees)
    assert stats["refunds"] == amounts(refunds)
    assert stats["payouts"] == amounts(payouts)
    assert len({entry["currency"] for entry in stats["gross_volume"]}) == 2, "never summed across currencies"
    assert (stats["calls_finished"], stats["no_shows"]) == (finished, no_shows)
    expected_rate = (Decimal(no_shows) / finished).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    assert stats["no_show_rate"] == float(expected_rate)
    expected_rating = (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (stats["average_rating"], stats["ratings"]) == (float(expected_rating), len(ratings))

    empty = await client.get(
        "/v1/admin/stats", params={"from": "2024-01-01T00:00:00Z", "to": "2024-02-01T00:00:00Z"}, headers=admin
    )
    assert empty.json()["no_show_rate"] is None
    assert empty.json()["gross_volume"] == []
