"""An expert's own profile (the admin's decisions on it: :mod:`procus.services.admin.experts`)."""

from __future__ import annotations

from collections.abc import Sequence

from procus.domain.accounts import Principal, Role
from procus.domain.availability import Availability, validate_availability
from procus.domain.errors import Conflict, InvalidInput
from procus.domain.experts import (
    ExpertProfile,
    require_publishable,
    validate_bio,
    validate_headline,
)
from procus.domain.languages import validate_languages
from procus.services.ports.clock import Clock
from procus.store import experts, users
from procus.store.db import Database

__all__ = ["ExpertProfileService", "validate_expert_time_zone"]


def validate_expert_time_zone(name: str, field: str = "time_zone") -> str:
    """The same zone check availability applies, so a saved profile zone always validates there."""
    try:
        validate_availability(Availability(timezone=name))
    except InvalidInput as error:
        raise InvalidInput("invalid_time_zone", f"{name!r} is not an IANA time zone", field=field) from error
    return name


class ExpertProfileService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def become_expert(self, principal: Principal, time_zone: str | None = None) -> ExpertProfile:
        """A signed-in client starts offering consultations: they become an expert with an empty profile
        that waits for an admin's approval. Repeating it changes nothing; admins stay admins."""
        if principal.role is Role.ADMIN:
            raise Conflict("admin_cannot_be_expert", "Admin accounts cannot offer consultations")
        zone = validate_expert_time_zone(time_zone) if time_zone is not None else principal.time_zone
        async with self._db.transaction() as tx:
            if principal.role is not Role.EXPERT:
                await users.set_role(tx, principal.user_id, Role.EXPERT)
            await experts.insert_empty_profile(tx, principal.user_id, zone)
            return await experts.get_profile(tx, principal.user_id)

    async def own_profile(self, expert: Principal) -> ExpertProfile:
        expert.require_role(Role.EXPERT)
        async with self._db.connection() as conn:
            return await experts.get_profile(conn, expert.user_id)

    async def update_own_profile(
        self,
        expert: Principal,
        *,
        headline: str | None = None,
        bio: str | None = None,
        languages: Sequence[str] | None = None,
        time_zone: str | None = None,
        published: bool | None = None,
    ) -> ExpertProfile:
        """Change the given fields; publishing needs a headline (listing also needs approval)."""
        expert.require_role(Role.EXPERT)
        async with self._db.transaction() as tx:
            profile = await experts.update_profile(
                tx,
                expert.user_id,
                headline=validate_headline(headline) if headline is not None else None,
                bio=validate_bio(bio) if bio is not None else None,
                languages=validate_languages(languages) if languages is not None else None,
                time_zone=validate_expert_time_zone(time_zone) if time_zone is not None else None,
                published=published,
            )
            if profile.published:
                require_publishable(profile)
            return profile
