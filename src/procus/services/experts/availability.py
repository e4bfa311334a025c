"""An expert's bookable hours, read and replaced as one document."""

from __future__ import annotations

from procus.domain.accounts import Principal, Role
from procus.domain.availability import (
    Availability,
    BookingSettings,
    DateOverride,
    WeeklyRule,
    validate_availability,
)
from procus.domain.favorites import opens_new_hours
from procus.services.trust.favorites import queue_new_hours_notice
from procus.store import availability, experts
from procus.store.db import Database

__all__ = ["AvailabilityService"]


class AvailabilityService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def own_availability(self, expert: Principal) -> Availability:
        expert.require_role(Role.EXPERT)
        async with self._db.connection() as conn:
            return await availability.get_availability(conn, expert.user_id)

    async def replace_own_availability(
        self,
        expert: Principal,
        *,
        rules: tuple[WeeklyRule, ...],
        overrides: tuple[DateOverride, ...],
        settings: BookingSettings,
        time_zone: str | None = None,
    ) -> Availability:
        """Validate, then swap rules, overrides, settings and zone in one transaction: all or nothing.

        ``time_zone=None`` keeps the profile's zone. Existing bookings are untouched: their time
        stays held even where it is no longer open. Opening hours that were closed before queues
        the notice to the expert's fans (:mod:`procus.services.trust.favorites`).
        """
        expert.require_role(Role.EXPERT)
        async with self._db.transaction() as tx:
            zone = time_zone or (await experts.get_profile(tx, expert.user_id)).time_zone
            new = Availability(timezone=zone, rules=rules, overrides=overrides, settings=settings)
            validate_availability(new)
            old = await availability.get_availability(tx, expert.user_id)
            await availability.replace_availability(tx, expert.user_id, new)
            if opens_new_hours(old, new):
                await queue_new_hours_notice(tx, expert.user_id)
            return await availability.get_availability(tx, expert.user_id)
