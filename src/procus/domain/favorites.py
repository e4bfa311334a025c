"""Favorite experts, and when an expert's new availability counts as "new hours" worth announcing."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.availability import Availability, OverrideKind

__all__ = ["Favorite", "opens_new_hours"]


class Favorite(msgspec.Struct, frozen=True, kw_only=True):
    expert_id: uuid.UUID
    full_name: str
    headline: str
    avatar_key: str | None
    listed: bool
    """False once the expert is no longer shown in the marketplace (unpublished, suspended ...)."""
    min_duration_minutes: int | None
    """The shortest active area's length; None when the expert offers nothing bookable."""
    favorited_at: dt.datetime
    next_free_slot: dt.datetime | None = None


def _weekly_minutes(availability: Availability, weekday: int) -> set[int]:
    return {
        minute
        for rule in availability.rules
        if rule.weekday == weekday
        for minute in range(rule.start_minute, rule.end_minute)
    }


def _date_minutes(availability: Availability, day: dt.date) -> set[int]:
    for override in availability.overrides:
        if override.date == day:
            if override.kind is OverrideKind.UNAVAILABLE:
                return set()
            return {minute for r in override.ranges for minute in range(r.start_minute, r.end_minute)}
    return _weekly_minutes(availability, day.weekday())


def opens_new_hours(old: Availability, new: Availability) -> bool:
    """Whether ``new`` opens any local time ``old`` kept closed: a longer or extra weekly rule, a date
    opened or widened by an override, a farther booking horizon, or a move to another zone."""
    if new.timezone != old.timezone or new.settings.horizon_days > old.settings.horizon_days:
        return bool(new.rules or new.overrides)
    if any(_weekly_minutes(new, day) - _weekly_minutes(old, day) for day in range(7)):
        return True
    dates = {override.date for override in (*old.overrides, *new.overrides)}
    return any(_date_minutes(new, day) - _date_minutes(old, day) for day in dates)
