"""Platform figures for admins: revenue per period and the headline statistics over a time range.

Money is always per currency: amounts in different currencies are never added together.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from procus.domain.errors import InvalidInput

__all__ = ["MAX_RANGE", "CurrencyAmount", "Period", "PlatformStats", "RevenueLine", "validate_range"]

MAX_RANGE = dt.timedelta(days=3660)


class Period(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class RevenueLine(msgspec.Struct, frozen=True, kw_only=True):
    period_start: dt.datetime
    """The period's first instant, UTC (weeks start on Monday)."""
    currency: str
    amount: int


class CurrencyAmount(msgspec.Struct, frozen=True, kw_only=True):
    currency: str
    amount: int
    count: int


class PlatformStats(msgspec.Struct, frozen=True, kw_only=True):
    """Headline figures for ``[start, end)``; each field says which records it counts."""

    start: dt.datetime
    end: dt.datetime
    users_by_role: dict[str, int]
    """Accounts that existed at ``end``, by role."""
    new_users_by_role: dict[str, int]
    """Accounts created in the range, by role."""
    bookings_by_status: dict[str, int]
    """Bookings requested in the range, by their status now."""
    gross_volume: list[CurrencyAmount]
    """Client payments received in the range."""
    fees: list[CurrencyAmount]
    """Platform fees booked in the range (net of any taken back); ``count``: ledger entries."""
    refunds: list[CurrencyAmount]
    """Refunds the provider completed in the range."""
    payouts: list[CurrencyAmount]
    """Payouts the provider confirmed paid in the range."""
    calls_finished: int
    """Bookings whose call was due to start in the range and is over: completed or a no-show."""
    no_shows: int
    no_show_rate: float | None
    """``no_shows / calls_finished``, four decimals; None without finished calls."""
    average_rating: float | None
    """Mean of the visible reviews written in the range, two decimals."""
    ratings: int


def validate_range(start: dt.datetime, end: dt.datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise InvalidInput("naive_datetime", "from and to must include a UTC offset", field="from")
    if end <= start:
        raise InvalidInput("invalid_range", "to must be after from", field="to")
    if end - start > MAX_RANGE:
        raise InvalidInput("range_too_long", "the range may span at most ten years", field="to")
