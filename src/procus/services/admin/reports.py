"""Admins' figures: platform revenue by day, week or month, and the statistics over a range.

Both are computed in SQL (``store.reports``) in one REPEATABLE READ snapshot, per currency.
"""

from __future__ import annotations

import datetime as dt

from procus.domain.admin_audit import AdminActor
from procus.domain.reports import Period, PlatformStats, RevenueLine, validate_range
from procus.store import reports
from procus.store.db import Database

__all__ = ["AdminReportService"]


class AdminReportService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def revenue(
        self, actor: AdminActor, period: Period, start: dt.datetime, end: dt.datetime
    ) -> list[RevenueLine]:
        """Platform fees earned (less any taken back), per period and currency, in ``[start, end)``."""
        validate_range(start, end)
        async with self._db.connection() as conn:
            return await reports.platform_revenue(conn, period, start, end)

    async def stats(self, actor: AdminActor, start: dt.datetime, end: dt.datetime) -> PlatformStats:
        validate_range(start, end)
        async with self._db.transaction(isolation="repeatable_read") as tx:
            return await reports.platform_stats(tx, start, end)
