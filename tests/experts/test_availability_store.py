"""Replacing availability: validated, named errors, all or nothing, and read back as saved."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from procus.domain.accounts import Role
from procus.domain.availability import BookingSettings, DateOverride, OverrideKind, TimeRange, WeeklyRule
from procus.domain.errors import InvalidInput, PermissionDenied
from procus.services.experts.availability import AvailabilityService
from procus.store.db import Database
from tests.support.experts import as_principal, insert_expert


async def test_replace_round_trips_the_whole_document(db: Database) -> None:
    service = AvailabilityService(db)
    expert = as_principal(await insert_expert(db, time_zone="Africa/Lagos"))
    empty = await service.own_availability(expert)
    assert (empty.timezone, empty.rules, empty.overrides, empty.settings) == ("Africa/Lagos", (), (), BookingSettings())

    rules = (WeeklyRule(0, 9 * 60, 12 * 60), WeeklyRule(0, 13 * 60, 17 * 60), WeeklyRule(6, 22 * 60, 1440))
    overrides = (
        DateOverride(dt.date(2026, 12, 25), OverrideKind.REPLACE),
        DateOverride(dt.date(2026, 12, 28), OverrideKind.UNAVAILABLE, (TimeRange(9 * 60, 10 * 60),)),
    )
    settings = BookingSettings(min_notice_minutes=60, horizon_days=30, buffer_before_minutes=15, slot_step_minutes=30)
    saved = await service.replace_own_availability(
        expert, rules=rules, overrides=overrides, settings=settings, time_zone="Europe/Berlin"
    )
    assert saved.timezone == "Europe/Berlin"
    assert saved.rules == rules
    assert saved.overrides == overrides
    assert saved.settings == settings
    assert await service.own_availability(expert) == saved

    kept_zone = await service.replace_own_availability(expert, rules=(), overrides=(), settings=BookingSettings())
    assert (kept_zone.timezone, kept_zone.rules, kept_zone.overrides) == ("Europe/Berlin", (), ())


@pytest.mark.parametrize(
    ("rules", "overrides", "booking_settings", "code", "field"),
    [
        ((WeeklyRule(1, 600, 540),), (), BookingSettings(), "empty_time_range", "rules[0].end_minute"),
        (
            (WeeklyRule(1, 540, 600), WeeklyRule(2, 0, 60), WeeklyRule(1, 570, 660)),
            (),
            BookingSettings(),
            "overlapping_ranges",
            "rules[2]",
        ),
        ((WeeklyRule(7, 540, 600),), (), BookingSettings(), "invalid_weekday", "rules[0].weekday"),
        ((WeeklyRule(1, 545, 600),), (), BookingSettings(), "invalid_time", "rules[0].start_minute"),
        (
            (),
            (DateOverride(dt.date(2026, 1, 1), OverrideKind.UNAVAILABLE),),
            BookingSettings(),
            "override_ranges_required",
            "overrides[0].ranges",
        ),
        (
            (),
            (
                DateOverride(dt.date(2026, 1, 1), OverrideKind.REPLACE),
                DateOverride(dt.date(2026, 1, 1), OverrideKind.REPLACE),
            ),
            BookingSettings(),
            "duplicate_override_date",
            "overrides[1].date",
        ),
        ((), (), BookingSettings(slot_step_minutes=20), "invalid_slot_step", "settings.slot_step_minutes"),
        ((), (), BookingSettings(buffer_after_minutes=-5), "invalid_buffer", "settings.buffer_after_minutes"),
    ],
)
async def test_invalid_sets_are_refused_naming_the_field_and_change_nothing(
    db: Database,
    rules: tuple[WeeklyRule, ...],
    overrides: tuple[DateOverride, ...],
    booking_settings: BookingSettings,
    code: str,
    field: str,
) -> None:
    service = AvailabilityService(db)
    expert = as_principal(await insert_expert(db))
    before = await service.replace_own_availability(
        expert, rules=(WeeklyRule(3, 600, 660),), overrides=(), settings=BookingSettings()
    )
    with pytest.raises(InvalidInput) as error:
        await service.replace_own_availability(expert, rules=rules, overrides=overrides, settings=booking_settings)
    assert (error.value.code, error.value.field) == (code, field)
    assert await service.own_availability(expert) == before


async def test_concurrent_replacements_never_mix(db: Database) -> None:
    service = AvailabilityService(db)
    expert = as_principal(await insert_expert(db))
    sets = [
        tuple(WeeklyRule(day, 60 * hour, 60 * hour + 60) for day in range(7) for hour in range(first, 24, 2))
        for first in (0, 1)
    ]
    for _ in range(5):
        await asyncio.gather(
            *(
                service.replace_own_availability(expert, rules=rules, overrides=(), settings=BookingSettings())
                for rules in sets * 3
            )
        )
        stored = await service.own_availability(expert)
        assert sorted(stored.rules, key=lambda r: (r.weekday, r.start_minute)) in [
            sorted(rules, key=lambda r: (r.weekday, r.start_minute)) for rules in sets
        ]


async def test_clients_have_no_availability(db: Database) -> None:
    with pytest.raises(PermissionDenied):
        await AvailabilityService(db).own_availability(as_principal(await insert_expert(db), Role.CLIENT))
