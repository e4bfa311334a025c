"""Factories for trust and operations tests: admins over HTTP, and bookings written straight to the database."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.bookings import http_user

__all__ = ["audit_rows", "http_admin", "insert_booking", "make_admin", "the_audit_row"]


async def make_admin(db: Database, user_id: uuid.UUID) -> None:
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1", user_id)


async def http_admin(client: AsyncTestClient[Litestar], db: Database) -> tuple[uuid.UUID, dict[str, str]]:
    """A verified admin signed in through the API: (id, Authorization headers)."""
    admin_id, headers = await http_user(client, db, full_name="Ada Admin")
    await make_admin(db, admin_id)
    return admin_id, headers


async def insert_booking(
    db: Database,
    *,
    expert_id: uuid.UUID,
    client_id: uuid.UUID,
    area_id: uuid.UUID,
    starts_at: dt.datetime,
    status: str = "completed",
    duration: int = 60,
    price: int = 50_00,
    currency: str = "NGN",
    ended_at: dt.datetime | None = None,
    created_at: dt.datetime | None = None,
) -> uuid.UUID:
    """A booking with its call, as the lifecycle would have left it in ``status`` (no money rows)."""
    call_status = {"completed": "completed", "confirmed": "scheduled", "pending": "scheduled"}.get(status, status)
    if status in ("declined", "expired", "cancelled"):
        call_status = "cancelled"
    ends_at = starts_at + dt.timedelta(minutes=duration)
    call_id, booking_id = uuid.uuid4(), uuid.uuid4()
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO calls (id, expert_id, client_id, area_id, starts_at, duration_minutes, ends_at, blocked,"
            " price_amount, currency, platform_fee_bps, room_name, status, ended_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, tstzrange($5, $7), $8, $9, 1000, $10, $11, $12)",
            call_id,
            expert_id,
            client_id,
            area_id,
            starts_at,
            duration,
            ends_at,
            price,
            currency,
            f"booking-{booking_id}",
            call_status,
            ended_at if ended_at is not None else (ends_at if status == "completed" else None),
        )
        await tx.execute(
            "INSERT INTO bookings (id, call_id, client_id, expert_id, area_id, status, expires_at, confirmed_at,"
            " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            booking_id,
            call_id,
            client_id,
            expert_id,
            area_id,
            status,
            starts_at,
            starts_at - dt.timedelta(days=1) if status in ("confirmed", "completed") else None,
            created_at or starts_at - dt.timedelta(days=2),
        )
    return booking_id


async def audit_rows(db: Database, target_id: object) -> list[dict[str, Any]]:
    """The audit trail's rows about one target, oldest first."""
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT * FROM admin_audit WHERE target_id = $1 ORDER BY id", str(target_id))
    return [dict(row) for row in rows]


async def the_audit_row(db: Database, target_id: object, action: str) -> dict[str, Any]:
    """The one audit row ``action`` left on ``target_id`` (fails unless there is exactly one)."""
    rows = [row for row in await audit_rows(db, target_id) if row["action"] == action]
    assert len(rows) == 1, rows
    return rows[0]
