"""/v1/experts/me/availability: the expert's weekly hours, date overrides and booking settings.

Times of day travel as ``"HH:MM"`` strings in the expert's zone, on the quarter hour, with
``"24:00"`` for the end of the day; ranges are half-open ``[start, end)``. The domain counts minutes
from local midnight, so the conversion happens here and so does the renaming of error fields
(``rules[2].end_minute`` -> ``rules[2].end``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

import msgspec
from litestar import Controller, get, put

from procus.domain.accounts import Principal
from procus.domain.availability import (
    Availability,
    BookingSettings,
    DateOverride,
    OverrideKind,
    TimeRange,
    WeeklyRule,
)
from procus.domain.errors import InvalidInput
from procus.services.experts.availability import AvailabilityService

__all__ = ["ExpertAvailabilityController"]

LocalTime = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
        description='Local wall-clock time "HH:MM" on the quarter hour; "24:00" is the end of the day',
        examples=["09:00", "24:00"],
    ),
]


class TimeRangeIO(msgspec.Struct, forbid_unknown_fields=True):
    start: LocalTime
    end: LocalTime


class WeeklyRuleIO(msgspec.Struct, forbid_unknown_fields=True):
    weekday: Annotated[int, msgspec.Meta(description="0 = Monday .. 6 = Sunday", examples=[0])]
    start: LocalTime
    end: LocalTime


class DateOverrideIO(msgspec.Struct, forbid_unknown_fields=True):
    date: Annotated[dt.date, msgspec.Meta(description="A local date in the expert's zone")]
    kind: Annotated[
        Literal["replace", "unavailable"],
        msgspec.Meta(
            description="replace: the day's hours are exactly `ranges` (none = day off); "
            "unavailable: `ranges` are taken out of the day's weekly hours"
        ),
    ]
    ranges: list[TimeRangeIO] = msgspec.field(default_factory=list)


class BookingSettingsIO(msgspec.Struct, forbid_unknown_fields=True):
    min_notice_minutes: int = 720
    horizon_days: int = 60
    buffer_before_minutes: int = 0
    buffer_after_minutes: int = 0
    slot_step_minutes: Annotated[int, msgspec.Meta(description="15, 30 or 60")] = 15


class AvailabilityIO(msgspec.Struct, forbid_unknown_fields=True):
    """The whole availability document. PUT replaces all of it at once; omitted lists mean none."""

    time_zone: Annotated[str, msgspec.Meta(description="IANA zone the times are in; PUT keeps the current one")] = ""
    rules: list[WeeklyRuleIO] = msgspec.field(default_factory=list)
    overrides: list[DateOverrideIO] = msgspec.field(default_factory=list)
    settings: BookingSettingsIO = msgspec.field(default_factory=BookingSettingsIO)


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _rules(body: AvailabilityIO) -> tuple[WeeklyRule, ...]:
    return tuple(WeeklyRule(rule.weekday, _minutes(rule.start), _minutes(rule.end)) for rule in body.rules)


def _overrides(body: AvailabilityIO) -> tuple[DateOverride, ...]:
    return tuple(
        DateOverride(
            date=override.date,
            kind=OverrideKind(override.kind),
            ranges=tuple(TimeRange(_minutes(r.start), _minutes(r.end)) for r in override.ranges),
        )
        for override in body.overrides
    )


def _settings(body: AvailabilityIO) -> BookingSettings:
    return BookingSettings(
        min_notice_minutes=body.settings.min_notice_minutes,
        horizon_days=body.settings.horizon_days,
        buffer_before_minutes=body.settings.buffer_before_minutes,
        buffer_after_minutes=body.settings.buffer_after_minutes,
        slot_step_minutes=body.settings.slot_step_minutes,
    )


def _to_io(availability: Availability) -> AvailabilityIO:
    settings = availability.settings
    return AvailabilityIO(
        time_zone=availability.timezone,
        rules=[WeeklyRuleIO(r.weekday, _clock(r.start_minute), _clock(r.end_minute)) for r in availability.rules],
        overrides=[
            DateOverrideIO(
                date=o.date,
                kind=o.kind.value,
                ranges=[TimeRangeIO(_clock(r.start_minute), _clock(r.end_minute)) for r in o.ranges],
            )
            for o in availability.overrides
        ],
        settings=BookingSettingsIO(
            min_notice_minutes=settings.min_notice_minutes,
            horizon_days=settings.horizon_days,
            buffer_before_minutes=settings.buffer_before_minutes,
            buffer_after_minutes=settings.buffer_after_minutes,
            slot_step_minutes=settings.slot_step_minutes,
        ),
    )


_DOMAIN_FIELD = re.compile(r"\.(start|end)_minute$")


def _api_field(field: str | None) -> str | None:
    if field is None:
        return None
    if field == "timezone":
        return "time_zone"
    return _DOMAIN_FIELD.sub(r".\1", field)


class ExpertAvailabilityController(Controller):
    path = "/v1/experts/me/availability"
    tags = ["expert"]

    @get(operation_id="getMyAvailability")
    async def get_availability(self, expert_availability: AvailabilityService, expert: Principal) -> AvailabilityIO:
        return _to_io(await expert_availability.own_availability(expert))

    @put(operation_id="replaceMyAvailability")
    async def replace_availability(
        self, data: AvailabilityIO, expert_availability: AvailabilityService, expert: Principal
    ) -> AvailabilityIO:
        """Replace weekly rules, overrides, settings (and zone, if given) in one transaction."""
        try:
            saved = await expert_availability.replace_own_availability(
                expert,
                rules=_rules(data),
                overrides=_overrides(data),
                settings=_settings(data),
                time_zone=data.time_zone or None,
            )
        except InvalidInput as error:
            raise InvalidInput(error.code, error.detail, field=_api_field(error.field), **error.extra) from None
        return _to_io(saved)
