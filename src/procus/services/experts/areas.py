"""An expert's areas of expertise: what they offer, at what price, for how long.

Only the owning expert can change an area; another expert's area is reported as not found so its
existence does not leak. Areas are never deleted: bookings keep pointing at them, so "delete" only
deactivates, which takes the area off the profile and out of the listing.
"""

from __future__ import annotations

import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.errors import Conflict, InvalidInput
from procus.domain.experts import (
    MAX_ACTIVE_AREAS,
    ExpertiseArea,
    validate_area_description,
    validate_area_title,
    validate_duration,
    validate_price,
)
from procus.store import areas, categories
from procus.store.db import Connection, Database

__all__ = ["AreaChanges", "AreaService"]


class AreaChanges(msgspec.Struct, frozen=True, kw_only=True):
    """A partial update; ``None`` keeps a field. Price amount and currency may change independently."""

    title: str | None = None
    description: str | None = None
    category: str | None = None
    price_amount: int | None = None
    currency: str | None = None
    duration_minutes: int | None = None
    active: bool | None = None


async def _require_category(conn: Connection, slug: str) -> str:
    if not await categories.category_exists(conn, slug):
        raise InvalidInput("unknown_category", f"{slug!r} is not a category", field="category")
    return slug


async def _require_room_for_one_more(conn: Connection, expert_id: uuid.UUID) -> None:
    if await areas.count_active_areas(conn, expert_id) >= MAX_ACTIVE_AREAS:
        raise Conflict("too_many_areas", f"An expert can offer at most {MAX_ACTIVE_AREAS} active areas")


class AreaService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        expert: Principal,
        *,
        title: str,
        description: str,
        category: str,
        price_amount: int,
        currency: str,
        duration_minutes: int,
    ) -> ExpertiseArea:
        """A new area on offer; only an expert with a verified email may offer one (403 email_not_verified)."""
        expert.require_role(Role.EXPERT)
        expert.require_verified_email()
        title = validate_area_title(title)
        description = validate_area_description(description)
        price = validate_price(price_amount, currency)
        validate_duration(duration_minutes)
        async with self._db.transaction() as tx:
            await _require_category(tx, category)
            await _require_room_for_one_more(tx, expert.user_id)
            return await areas.insert_area(
                tx,
                expert.user_id,
                title=title,
                description=description,
                category=category,
                price=price,
                duration_minutes=duration_minutes,
            )

    async def list_own(self, expert: Principal) -> list[ExpertiseArea]:
        """Every area of the expert, active ones first, inactive ones kept for history."""
        expert.require_role(Role.EXPERT)
        async with self._db.connection() as conn:
            return await areas.list_areas(conn, expert.user_id, active_only=False)

    async def update(self, expert: Principal, area_id: uuid.UUID, changes: AreaChanges) -> ExpertiseArea:
        expert.require_role(Role.EXPERT)
        async with self._db.transaction() as tx:
            area = await areas.get_area_for_update(tx, area_id, expert.user_id)
            updated = msgspec.structs.replace(
                area,
                title=validate_area_title(changes.title) if changes.title is not None else area.title,
                description=(
                    validate_area_description(changes.description)
                    if changes.description is not None
                    else area.description
                ),
                category=await _require_category(tx, changes.category)
                if changes.category is not None
                else area.category,
                price=validate_price(
                    changes.price_amount if changes.price_amount is not None else area.price.amount,
                    changes.currency if changes.currency is not None else area.price.currency,
                ),
                duration_minutes=(
                    validate_duration(changes.duration_minutes)
                    if changes.duration_minutes is not None
                    else area.duration_minutes
                ),
                active=area.active if changes.active is None else changes.active,
            )
            if updated.active and not area.active:
                await _require_room_for_one_more(tx, expert.user_id)
            return await areas.update_area(tx, updated)

    async def deactivate(self, expert: Principal, area_id: uuid.UUID) -> ExpertiseArea:
        """Take the area off offer; existing bookings keep it. Deactivating twice is harmless."""
        return await self.update(expert, area_id, AreaChanges(active=False))
