"""The window a slot list is asked for: RFC 3339 instants, bounded length."""

from __future__ import annotations

import datetime as dt
import re

from procus.domain.availability import get_zone
from procus.domain.errors import InvalidInput

__all__ = ["DEFAULT_WINDOW", "MAX_WINDOW", "parse_rfc3339", "validate_grouping_zone", "validate_window"]

MAX_WINDOW = dt.timedelta(days=62)
DEFAULT_WINDOW = dt.timedelta(days=7)
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


def parse_rfc3339(value: str, field: str) -> dt.datetime:
    """An RFC 3339 date-time with an explicit offset, as an aware UTC datetime."""
    if not _RFC3339.match(value):
        raise InvalidInput(
            "invalid_datetime", f"{field} must be an RFC 3339 date-time such as 2026-03-08T09:00:00Z", field=field
        )
    try:
        return dt.datetime.fromisoformat(value.upper().replace(" ", "T")).astimezone(dt.UTC)
    except ValueError:
        raise InvalidInput("invalid_datetime", f"{field} is not a valid date-time", field=field) from None


def validate_window(start: dt.datetime, end: dt.datetime, *, end_field: str = "to") -> None:
    if end <= start:
        raise InvalidInput("empty_window", "the window must end after it starts", field=end_field)
    if end - start > MAX_WINDOW:
        raise InvalidInput(
            "window_too_long", f"ask for at most {MAX_WINDOW.days} days of slots at a time", field=end_field
        )


def validate_grouping_zone(name: str, field: str = "tz") -> str:
    try:
        get_zone(name)
    except (ValueError, KeyError, OSError):
        raise InvalidInput("invalid_time_zone", f"{name!r} is not an IANA time zone", field=field) from None
    return name
