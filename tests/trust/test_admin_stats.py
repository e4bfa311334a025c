"""GET /v1/admin/stats against a seeded month whose totals this test computes on its own.

The month is in the past, so nothing else in the database falls inside it; the rows are written
straight to the tables, each with a known time inside or outside the range, and :class:`_Seed`
adds up what the statistics must say as it writes them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.accounts import unique_email
from tests.support.experts import insert_area
from tests.support.trust import http_admin, insert_booking

Client = AsyncTestClient[Litestar]
START = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
END = dt.datetime(2025, 4, 1, tzinfo=dt.UTC)
INSIDE = START + dt.timedelta(days=10)
BEFORE = START - dt.timedelta(days=3)
AFTER = END + dt.timedelta(hours=1)
FINISHED = ("completed", "no_show_client", "no_show_expert", "no_show_both")

INSERT_PAYMENT = """
INSERT INTO payments (booking_id, reference, client_id, expert_id, amount, currency, status, authorization_url,
    received_amount, received_currency, paid_at, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, 'held', 'https://pay.test', $5, $6, $7, $7, $7) RETURNING id
"""
INSERT_ACCOUNT = """
INSERT INTO ledger_accounts (kind, currency) VALUES ($1::ledger_account_kind, $2)
ON CONFLICT (kind, owner_id, currency) DO UPDATE SET kind = excluded.kind RETURNING id
"""
INSERT_REFUND = """
INSERT INTO refunds (payment_id, amount, currency, status, created_at, updated_at, processed_at)
VALUES ($1, $2, $3, $4::refund_status, $5, $5, $6)
"""
INSERT_PAYOUT = """
INSERT INTO payouts (expert_id, amount, currency, status, recipient_code, created_at, updated_at)
VALUES ($1, $2, $3, $4::payout_status, 'RCP_x', $5, $5) RETURNING id
"""
INSERT_REVIEW = """
INSERT INTO reviews (booking_id, expert_id, client_id, rating, created_at, updated_at, hidden_at, hidden_reason)
VALUES ($1, $2, $3, $4, $5, $5, $6, $7)
"""


def _inside(at: dt.datetime) -> bool:
    return START <= at < END


class _Payment:
    def __init__(self, payment_id: uuid.UUID, booking_id: uuid.UUID, amount: int, currency: str) -> None:
        self.id, self.booking_id, self.amount, self.currency = payment_id, booking_id, amount, currency


class _Seed:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.users_at_end: Counter[str] = Counter()
        self.new_users: Counter[str] = Counter()
        self.bookings: Counter[str] = Counter()
        self.money: dict[str, defaultdict[str, list[int]]] = {
            name: defaultdict(list) for name in ("gross", "fees", "refunds", "payouts")
        }
        self.finished = self.no_shows = 0
        self.ratings: list[int] = []
        self.payments: list[_Payment] = []

    async def users(self) -> tuple[uuid.UUID, uuid.UUID]:
        """Accounts before, inside and after the month; returns (expert, client)."""
        made: dict[str, list[uuid.UUID]] = defaultdict(list)
        plan = [("client", BEFORE), ("client", INSIDE), ("client", INSIDE), ("expert", INSIDE), ("expert", BEFORE)]
        plan += [("admin", BEFORE), ("client", AFTER), ("expert", AFTER)]
        async with self.db.transaction() as conn:
            for role, when in plan:
                user_id = await conn.fetchval(
                    "INSERT INTO users (email, full_name, role, created_at) VALUES ($1, 'Seed', $2::user_role, $3)"
                    " RETURNING id",
                    unique_email(role),
                    role,
                    when,
                )
                if role == "expert":
                    await conn.execute("INSERT INTO expert_profiles (user_id) VALUES ($1)", user_id)
                made[role].append(user_id)
                self.users_at_end[role] += when < END
                self.new_users[role] += _inside(when)
        return made["expert"][0], made["client"][0]

    async def bookings_and_payments(self, expert_id: uuid.UUID, client_id: uuid.UUID) -> None:
        area_id = await insert_area(self.db, expert_id)
        plan: list[tuple[str, dt.datetime, dt.datetime, tuple[int, str, dt.datetime] | None]] = [
            ("completed", INSIDE, INSIDE, (100_00, "NGN", INSIDE)),
            ("completed", INSIDE, INSIDE + dt.timedelta(days=1), (30_00, "USD", INSIDE)),
            ("no_show_expert", INSIDE, INSIDE + dt.timedelta(days=2), (70_00, "NGN", INSIDE)),
            ("no_show_client", BEFORE, INSIDE + dt.timedelta(days=3), (20_00, "USD", BEFORE)),
            ("cancelled", INSIDE, AFTER, None),
            ("completed", BEFORE, BEFORE, (55_00, "NGN", BEFORE)),
            ("pending", AFTER, AFTER + dt.timedelta(days=1), None),
        ]
        for status, created, starts, paid in plan:
            booking_id = await insert_booking(
                self.db,
                expert_id=expert_id,
                client_id=client_id,
                area_id=area_id,
                starts_at=starts,
                status=status,
                created_at=created,
            )
            self.bookings[status] += _inside(created)
            if _inside(starts) and status in FINISHED:
                self.finished += 1
                self.no_shows += status.startswith("no_show")
            if paid is not None:
                await self._payment(booking_id, expert_id, client_id, *paid)

    async def _payment(
        self,
        booking_id: uuid.UUID,
        expert_id: uuid.UUID,
        client_id: uuid.UUID,
        amount: int,
        currency: str,
        paid_at: dt.datetime,
    ) -> None:
        """A received payment and its release's fee (balanced against client_payments)."""
        fee = amount // 10
        async with self.db.transaction() as conn:
            reference = f"bk-{uuid.uuid4().hex[:16]}"
            args = (booking_id, reference, client_id, expert_id, amount, currency, paid_at)
            payment_id = await conn.fetchval(INSERT_PAYMENT, *args)
            entry_id = await conn.fetchval(
                "INSERT INTO ledger_entries (kind, payment_id, created_at) VALUES ('release', $1, $2) RETURNING id",
                payment_id,
                paid_at,
            )
            for kind, signed in (("platform_fees", fee), ("client_payments", -fee)):
                account_id = await conn.fetchval(INSERT_ACCOUNT, kind, currency)
                await conn.execute(
                    "INSERT INTO ledger_lines (entry_id, account_id, currency, amount) VALUES ($1, $2, $3, $4)",
                    entry_id,
                    account_id,
                    currency,
                    signed,
                )
        self.payments.append(_Payment(payment_id, booking_id, amount, currency))
        if _inside(paid_at):
            self.money["gross"][currency].append(amount)
            self.money["fees"][currency].append(fee)

    async def refunds_and_payouts(self, expert_id: uuid.UUID) -> None:
        async with self.db.transaction() as conn:
            outcomes = [(INSIDE, "processed"), (AFTER, "processed"), (INSIDE, "queued"), (INSIDE, "processed")]
            for payment, (at, status) in zip(self.payments, outcomes, strict=False):
                processed = at if status == "processed" else None
                await conn.execute(
                    INSERT_REFUND, payment.id, payment.amount // 4, payment.currency, status, at, processed
                )
                if processed is not None and _inside(processed):
                    self.money["refunds"][payment.currency].append(payment.amount // 4)
            plan = [(40_00, "NGN", "paid", INSIDE), (15_00, "USD", "paid", INSIDE), (25_00, "NGN", "paid", AFTER)]
            plan.append((9_00, "NGN", "pending", INSIDE))
            for amount, currency, status, at in plan:
                payout_id = await conn.fetchval(INSERT_PAYOUT, expert_id, amount, currency, status, at)
                if status != "paid":
                    continue
                await conn.execute(
                    "INSERT INTO payout_events (payout_id, from_status, to_status, created_at)"
                    " VALUES ($1, 'processing', 'paid', $2)",
                    payout_id,
                    at,
                )
                if _inside(at):
                    self.money["payouts"][currency].append(amount)

    async def reviews(self, expert_id: uuid.UUID, client_id: uuid.UUID) -> None:
        plan = [(5, INSIDE, False), (2, INSIDE, False), (4, INSIDE, False), (1, INSIDE, True), (3, BEFORE, False)]
        async with self.db.transaction() as conn:
            for payment, (rating, written, hidden) in zip(self.payments, plan, strict=False):
                hidden_at, reason = (written, "spam") if hidden else (None, None)
                args = (payment.booking_id, expert_id, client_id, rating, written, hidden_at, reason)
                await conn.execute(INSERT_REVIEW, *args)
                if not hidden and _inside(written):
                    self.ratings.append(rating)

    def amounts(self, name: str) -> list[dict[str, Any]]:
        found = self.money[name]
        return [{"currency": c, "amount": sum(v), "count": len(v)} for c, v in sorted(found.items())]


def _counts(counter: Counter[str]) -> dict[str, int]:
    return {key: n for key, n in counter.items() if n}


async def test_stats_match_totals_computed_from_the_seed(client: Client, db: Database) -> None:
    _, admin = await http_admin(client, db)
    seed = _Seed(db)
    expert_id, client_id = await seed.users()
    await seed.bookings_and_payments(expert_id, client_id)
    await seed.refunds_and_payouts(expert_id)
    await seed.reviews(expert_id, client_id)

    window = {"from": START.isoformat(), "to": END.isoformat()}
    response = await client.get("/v1/admin/stats", params=window, headers=admin)
    assert response.status_code == 200, response.text
    stats = response.json()

    assert stats["users_by_role"] == _counts(seed.users_at_end)
    assert stats["new_users_by_role"] == _counts(seed.new_users)
    assert stats["bookings_by_status"] == _counts(seed.bookings)
    for name, field in (("gross", "gross_volume"), ("fees", "fees"), ("refunds", "refunds"), ("payouts", "payouts")):
        assert stats[field] == seed.amounts(name), field
    assert len(stats["gross_volume"]) == 2, "never summed across currencies"
    assert (stats["calls_finished"], stats["no_shows"]) == (seed.finished, seed.no_shows)
    rate = (Decimal(seed.no_shows) / seed.finished).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    assert stats["no_show_rate"] == float(rate)
    average = (Decimal(sum(seed.ratings)) / len(seed.ratings)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert (stats["average_rating"], stats["ratings"]) == (float(average), len(seed.ratings))

    empty = await client.get(
        "/v1/admin/stats", params={"from": "2024-01-01T00:00:00Z", "to": "2024-02-01T00:00:00Z"}, headers=admin
    )
    assert empty.json()["no_show_rate"] is None
    assert empty.json()["gross_volume"] == []
