"""An expert's earnings: each paid booking with its price, the platform's fee and the expert's net.

Balances (available, in escrow, paid out) are ``PayoutService.balance``; this is the breakdown
behind them, a page at a time, and all of it for a CSV export.
"""

from __future__ import annotations

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.cursors import TimeCursor, check_limit, paginate
from procus.domain.earnings import EarningLine
from procus.store import earnings
from procus.store.db import Database

__all__ = ["MAX_EXPORT_ROWS", "MAX_PAGE_SIZE", "EarningLinesService", "EarningsPage"]

MAX_PAGE_SIZE = 100
MAX_EXPORT_ROWS = 50_000


class EarningsPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[EarningLine]
    next_cursor: str | None


class EarningLinesService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def page(self, expert: Principal, *, limit: int = 20, cursor: str | None = None) -> EarningsPage:
        """The expert's paid bookings, latest call first."""
        expert.require_role(Role.EXPERT)
        check_limit(limit, MAX_PAGE_SIZE)
        after = TimeCursor.decode_optional(cursor)
        async with self._db.connection() as conn:
            lines = await earnings.list_earnings(conn, expert.user_id, after=after, limit=limit + 1)
        items, next_cursor = paginate(lines, limit, lambda line: (line.starts_at, line.booking_id))
        return EarningsPage(items=items, next_cursor=next_cursor)

    async def export(self, expert: Principal) -> list[EarningLine]:
        """Every line, latest call first (at most ``MAX_EXPORT_ROWS``), in one read."""
        expert.require_role(Role.EXPERT)
        async with self._db.connection() as conn:
            return await earnings.list_earnings(conn, expert.user_id, after=None, limit=MAX_EXPORT_ROWS)
