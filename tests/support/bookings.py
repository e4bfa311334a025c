"""Factories and checks for booking tests: bookable experts, verified clients, slot times, overlap audits."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.domain.accounts import Principal, Role
from procus.domain.availability import BookingSettings
from procus.store.db import Database
from tests.support.accounts import bearer, register, unique_email, verify_directly
from tests.support.experts import insert_area, insert_expert, set_availability, weekdays

__all__ = [
    "BookableExpert",
    "bookable_expert",
    "booking_body",
    "http_expert",
    "http_user",
    "insert_client",
    "overlapping_active_calls",
    "overlapping_active_holds",
    "principal",
    "slot_start",
]


class BookableExpert(msgspec.Struct, frozen=True):
    id: uuid.UUID
    area_id: uuid.UUID
    duration: int


async def bookable_expert(
    db: Database,
    *,
    duration: int = 60,
    price: int = 50_00,
    buffer_before: int = 0,
    buffer_after: int = 0,
    min_notice_minutes: int = 60,
    full_name: str = "Grace Hopper",
) -> BookableExpert:
    """A listed expert open around the clock every day, with one area."""
    expert_id = await insert_expert(db, full_name=full_name)
    area_id = await insert_area(db, expert_id, duration=duration, price=price)
    settings = BookingSettings(
        min_notice_minutes=min_notice_minutes,
        buffer_before_minutes=buffer_before,
        buffer_after_minutes=buffer_after,
    )
    await set_availability(db, expert_id, rules=weekdays(0, 1440), settings=settings)
    return BookableExpert(expert_id, area_id, duration)


def booking_body(expert: BookableExpert, start: dt.datetime) -> dict[str, str]:
    """The JSON of ``POST /v1/bookings`` asking for ``expert``'s area at ``start``."""
    return {"expert_id": str(expert.id), "area_id": str(expert.area_id), "start": start.isoformat()}


async def insert_client(db: Database, *, verified: bool = True, full_name: str = "Ada Client") -> uuid.UUID:
    async with db.connection() as conn:
        client_id: uuid.UUID = await conn.fetchval(
            "INSERT INTO users (email, full_name, role, email_verified_at) VALUES ($1, $2, 'client', $3) RETURNING id",
            unique_email("client"),
            full_name,
            dt.datetime.now(dt.UTC) if verified else None,
        )
    return client_id


def principal(user_id: uuid.UUID, role: Role = Role.CLIENT, *, verified: bool = True) -> Principal:
    return Principal(
        user_id=user_id,
        email=f"{user_id.hex[:12]}@example.com",
        role=role,
        session_id=uuid.uuid4(),
        full_name="Someone",
        email_verified=verified,
        time_zone="UTC",
    )


def slot_start(now: dt.datetime, *, days: int = 2, hour: int = 10, minute: int = 0) -> dt.datetime:
    """``hour:minute`` UTC, ``days`` days after ``now``'s date: always far enough ahead to be bookable."""
    day = (now + dt.timedelta(days=days)).date()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


OVERLAPPING_HOLDS = """
SELECT count(*) FROM time_holds a JOIN time_holds b
  ON a.holder_id = b.holder_id AND a.booking_id < b.booking_id AND a.during && b.during
WHERE a.active AND b.active
"""
OVERLAPPING_CALLS = """
WITH active AS (
    SELECT c.expert_id, c.client_id, c.blocked, tstzrange(c.starts_at, c.ends_at) AS call, b.id
    FROM calls c JOIN bookings b ON b.call_id = c.id
    WHERE b.status IN ('pending', 'confirmed', 'reschedule_proposed')
)
SELECT count(*) FROM active a JOIN active b ON a.id < b.id
WHERE (a.expert_id = b.expert_id AND a.blocked && b.blocked) OR (a.client_id = b.client_id AND a.call && b.call)
"""


async def overlapping_active_holds(db: Database) -> int:
    """Pairs of active holds of one person that overlap, over the whole table: must always be 0."""
    async with db.connection() as conn:
        count: int = await conn.fetchval(OVERLAPPING_HOLDS)
    return count


async def overlapping_active_calls(db: Database) -> int:
    """Pairs of active bookings whose calls overlap for the expert (buffers included) or the client."""
    async with db.connection() as conn:
        count: int = await conn.fetchval(OVERLAPPING_CALLS)
    return count


async def http_user(
    client: AsyncTestClient[Litestar], db: Database, *, role: str = "client", full_name: str = "Ada Client"
) -> tuple[uuid.UUID, dict[str, str]]:
    """A verified user registered through the API: (id, Authorization headers)."""
    tokens = await register(client, role=role, full_name=full_name)
    user_id = uuid.UUID(tokens["user"]["id"])
    await verify_directly(db, user_id)
    return user_id, bearer(tokens)


async def http_expert(
    client: AsyncTestClient[Litestar], db: Database, *, buffer_after: int = 0, duration: int = 60
) -> tuple[BookableExpert, dict[str, str]]:
    """A listed expert open around the clock, registered through the API: (expert, headers)."""
    expert_id, headers = await http_user(client, db, role="expert", full_name="Grace Expert")
    async with db.connection() as conn:
        await conn.execute(
            "UPDATE expert_profiles SET published = true, approval = 'approved', headline = 'Expert'"
            " WHERE user_id = $1",
            expert_id,
        )
    area_id = await insert_area(db, expert_id, duration=duration)
    settings = BookingSettings(min_notice_minutes=60, buffer_after_minutes=buffer_after)
    await set_availability(db, expert_id, rules=weekdays(0, 1440), settings=settings)
    return BookableExpert(expert_id, area_id, duration), headers
