"""Factories for experts, their areas, availability and busy time, written straight to the database."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.domain.accounts import Principal, Role
from procus.domain.availability import Availability, BookingSettings, DateOverride, WeeklyRule
from procus.store import availability
from procus.store.db import Database
from tests.support.accounts import unique_email

__all__ = [
    "as_principal",
    "insert_admin",
    "insert_area",
    "insert_busy",
    "insert_expert",
    "set_availability",
    "weekdays",
]


async def insert_expert(
    db: Database,
    *,
    full_name: str = "Ada Lovelace",
    headline: str = "Engineer",
    bio: str = "",
    languages: tuple[str, ...] = ("en",),
    time_zone: str = "UTC",
    published: bool = True,
    approval: str = "approved",
    rating: str | None = None,
    active: bool = True,
) -> uuid.UUID:
    async with db.transaction() as tx:
        user_id: uuid.UUID = await tx.fetchval(
            "INSERT INTO users (email, full_name, role, time_zone, is_active, email_verified_at)"
            " VALUES ($1, $2, 'expert', $3, $4, now()) RETURNING id",
            unique_email("expert"),
            full_name,
            time_zone,
            active,
        )
        await tx.execute(
            "INSERT INTO expert_profiles (user_id, headline, bio, languages, time_zone, published, approval,"
            " rating_average, review_count) VALUES ($1, $2, $3, $4, $5, $6, $7::expert_approval, $8::numeric, $9)",
            user_id,
            headline,
            bio,
            list(languages),
            time_zone,
            published,
            approval,
            rating,
            0 if rating is None else 3,
        )
    return user_id


async def insert_area(
    db: Database,
    expert_id: uuid.UUID,
    *,
    title: str = "Python mentoring",
    category: str = "technology",
    price: int = 50_00,
    currency: str = "NGN",
    duration: int = 60,
    active: bool = True,
) -> uuid.UUID:
    async with db.connection() as conn:
        area_id: uuid.UUID = await conn.fetchval(
            "INSERT INTO expertise_areas (expert_id, title, category, price_amount, currency, duration_minutes, active)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            expert_id,
            title,
            category,
            price,
            currency,
            duration,
            active,
        )
    return area_id


def weekdays(start_minute: int, end_minute: int, days: range = range(7)) -> tuple[WeeklyRule, ...]:
    return tuple(WeeklyRule(day, start_minute, end_minute) for day in days)


async def set_availability(
    db: Database,
    expert_id: uuid.UUID,
    *,
    time_zone: str = "UTC",
    rules: tuple[WeeklyRule, ...] = (),
    overrides: tuple[DateOverride, ...] = (),
    settings: BookingSettings | None = None,
) -> None:
    async with db.transaction() as tx:
        await availability.replace_availability(
            tx,
            expert_id,
            Availability(timezone=time_zone, rules=rules, overrides=overrides, settings=settings or BookingSettings()),
        )


async def insert_busy(
    db: Database,
    expert_id: uuid.UUID,
    start: dt.datetime,
    end: dt.datetime,
    *,
    status: str = "confirmed",
    area_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """A booking whose expert-side hold is ``[start, end)`` (already widened by any buffers)."""
    async with db.transaction() as tx:
        client_id = await tx.fetchval(
            "INSERT INTO users (email, full_name, role) VALUES ($1, 'Client', 'client') RETURNING id",
            unique_email("client"),
        )
        if area_id is None:
            area_id = await tx.fetchval(
                "SELECT id FROM expertise_areas WHERE expert_id = $1 ORDER BY created_at LIMIT 1", expert_id
            )
        call_id, booking_id = uuid.uuid4(), uuid.uuid4()
        minutes = 15
        await tx.execute(
            "INSERT INTO calls (id, expert_id, client_id, area_id, starts_at, duration_minutes, ends_at, blocked,"
            " price_amount, currency, platform_fee_bps, room_name)"
            " VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $5::timestamptz + make_interval(mins => $6),"
            " tstzrange($7, $8), 5000, 'NGN', 1000, $9)",
            call_id,
            expert_id,
            client_id,
            area_id,
            start,
            minutes,
            start,
            end,
            f"room-{call_id}",
        )
        await tx.execute(
            "INSERT INTO bookings (id, call_id, client_id, expert_id, area_id, status, expires_at, created_at,"
            " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now())",
            booking_id,
            call_id,
            client_id,
            expert_id,
            area_id,
            status,
            start,
        )
        await tx.execute(
            "INSERT INTO time_holds (booking_id, kind, holder_id, side, during, active)"
            " VALUES ($1, 'booking', $2, 'expert', tstzrange($3, $4), $5)",
            booking_id,
            expert_id,
            start,
            end,
            status in ("pending", "confirmed", "reschedule_proposed"),
        )
    return booking_id


async def insert_admin(db: Database) -> uuid.UUID:
    async with db.connection() as conn:
        admin_id: uuid.UUID = await conn.fetchval(
            "INSERT INTO users (email, full_name, role) VALUES ($1, 'Admin', 'admin') RETURNING id",
            unique_email("admin"),
        )
    return admin_id


def as_principal(user_id: uuid.UUID, role: Role = Role.EXPERT) -> Principal:
    return Principal(
        user_id=user_id,
        email="someone@example.com",
        role=role,
        session_id=uuid.uuid4(),
        full_name="Someone",
        email_verified=True,
        time_zone="UTC",
    )
