"""An expert's monthly earnings statement, from the ledger: what came in, what went back, what was paid out.

For each currency: the available balance at the start of the month, every movement of it during
the month (calls released, refunds taken back, payouts), the platform fees on the month's calls,
and the balance at the end; ``opening + sum(lines) == closing`` always. Months are UTC months.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import msgspec

from procus.domain.errors import InvalidInput

__all__ = ["CurrencyStatement", "EarningsLine", "EarningsStatement", "month_bounds"]

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class EarningsLine(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    kind: str
    """The ledger entry: ``release``, ``refund`` (the expert's share of a part refund),
    ``refund_after_release``, ``payout_requested``, ``payout_returned``, ``payout_reversed``."""
    amount: int
    """Change of the available balance (positive: earned)."""
    booking_id: uuid.UUID | None
    payout_id: uuid.UUID | None


class CurrencyStatement(msgspec.Struct, frozen=True, kw_only=True):
    currency: str
    opening_balance: int
    earned: int
    taken_back: int
    paid_out: int
    """Net of payouts that came back."""
    platform_fees: int
    closing_balance: int
    lines: list[EarningsLine]


class EarningsStatement(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    start: dt.datetime
    end: dt.datetime
    currencies: list[CurrencyStatement]


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY-MM`` -> its first instant and the next month's, UTC."""
    match = _MONTH.match(month)
    if match is None:
        raise InvalidInput("invalid_month", "month must look like 2026-11", field="month")
    year, number = int(match.group(1)), int(match.group(2))
    start = dt.datetime(year, number, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + number // 12, number % 12 + 1, 1, tzinfo=dt.UTC)
    return start, end
