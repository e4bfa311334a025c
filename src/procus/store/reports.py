"""Platform figures computed in SQL: revenue per period, and the statistics over a range.

Every money figure is grouped by currency; nothing adds amounts across currencies.
"""

from __future__ import annotations

import datetime as dt
import decimal

from procus.domain.reports import CurrencyAmount, Period, PlatformStats, RevenueLine
from procus.store.db import Connection

__all__ = ["platform_revenue", "platform_stats"]

# Lines on the platform_fees account: releases credit it; anything that takes a fee back debits it.
PLATFORM_REVENUE = """
SELECT date_trunc($1, e.created_at, 'UTC') AS period_start, l.currency::text AS currency,
       sum(l.amount)::bigint AS amount
FROM ledger_lines l
JOIN ledger_entries e ON e.id = l.entry_id
JOIN ledger_accounts a ON a.id = l.account_id
WHERE a.kind = 'platform_fees' AND e.created_at >= $2 AND e.created_at < $3
GROUP BY 1, 2
ORDER BY 1, 2
"""
USERS_BY_ROLE = """
SELECT role::text AS key, count(*) FILTER (WHERE created_at < $2) AS total,
       count(*) FILTER (WHERE created_at >= $1 AND created_at < $2) AS new
FROM users GROUP BY role
"""
BOOKINGS_BY_STATUS = """
SELECT status AS key, count(*) AS n FROM bookings WHERE created_at >= $1 AND created_at < $2 GROUP BY status
"""
GROSS_VOLUME = """
SELECT received_currency::text AS currency, sum(received_amount)::bigint AS amount, count(*) AS n
FROM payments WHERE paid_at >= $1 AND paid_at < $2 AND received_amount IS NOT NULL
GROUP BY 1 ORDER BY 1
"""
FEES = """
SELECT l.currency::text AS currency, sum(l.amount)::bigint AS amount, count(*) AS n
FROM ledger_lines l
JOIN ledger_entries e ON e.id = l.entry_id
JOIN ledger_accounts a ON a.id = l.account_id
WHERE a.kind = 'platform_fees' AND e.created_at >= $1 AND e.created_at < $2
GROUP BY 1 ORDER BY 1
"""
REFUNDS = """
SELECT currency::text AS currency, sum(amount)::bigint AS amount, count(*) AS n
FROM refunds WHERE status = 'processed' AND processed_at >= $1 AND processed_at < $2
GROUP BY 1 ORDER BY 1
"""
PAYOUTS = """
SELECT p.currency::text AS currency, sum(p.amount)::bigint AS amount, count(*) AS n
FROM payouts p
WHERE p.status = 'paid' AND EXISTS (
    SELECT 1 FROM payout_events e
    WHERE e.payout_id = p.id AND e.to_status = 'paid' AND e.created_at >= $1 AND e.created_at < $2
)
GROUP BY 1 ORDER BY 1
"""
NO_SHOWS = """
SELECT finished, no_shows, round(no_shows::numeric / nullif(finished, 0), 4) AS rate
FROM (
    SELECT count(*) AS finished,
           count(*) FILTER (WHERE b.status IN ('no_show_client', 'no_show_expert', 'no_show_both')) AS no_shows
    FROM bookings b JOIN calls c ON c.id = b.call_id
WHERE c.starts_at >= $1 AND c.starts_at < $2
      AND b.status IN ('completed', 'no_show_client', 'no_show_expert', 'no_show_both')
) counted
"""
RATINGS = """
SELECT round(avg(rating), 2) AS average, count(*) AS n
FROM reviews WHERE hidden_at IS NULL AND created_at >= $1 AND created_at < $2
"""


async def platform_revenue(conn: Connection, period: Period, start: dt.datetime, end: dt.datetime) -> list[RevenueLine]:
    rows = await conn.fetch(PLATFORM_REVENUE, period.value, start, end)
    return [RevenueLine(period_start=r["period_start"], currency=r["currency"], amount=r["amount"]) for r in rows]


async def _amounts(conn: Connection, sql: str, start: dt.datetime, end: dt.datetime) -> list[CurrencyAmount]:
    rows = await conn.fetch(sql, start, end)
    return [CurrencyAmount(currency=r["currency"], amount=r["amount"], count=r["n"]) for r in rows]


async def platform_stats(conn: Connection, start: dt.datetime, end: dt.datetime) -> PlatformStats:
    """All figures from one connection; call inside a REPEATABLE READ transaction for one snapshot."""
    users = await conn.fetch(USERS_BY_ROLE, start, end)
    bookings = await conn.fetch(BOOKINGS_BY_STATUS, start, end)
    calls = await conn.fetchrow(NO_SHOWS, start, end)
    ratings = await conn.fetchrow(RATINGS, start, end)
    if calls is None or ratings is None:
        raise RuntimeError("aggregate queries always return one row")
    rate: decimal.Decimal | None = calls["rate"]
    average: decimal.Decimal | None = ratings["average"]
    return PlatformStats(
        start=start,
        end=end,
        users_by_role={r["key"]: r["total"] for r in users if r["total"]},
        new_users_by_role={r["key"]: r["new"] for r in users if r["new"]},
        bookings_by_status={r["key"]: r["n"] for r in bookings},
        gross_volume=await _amounts(conn, GROSS_VOLUME, start, end),
        fees=await _amounts(conn, FEES, start, end),
        refunds=await _amounts(conn, REFUNDS, start, end),
        payouts=await _amounts(conn, PAYOUTS, start, end),
        calls_finished=int(calls["finished"]),
        no_shows=int(calls["no_shows"]),
        no_show_rate=float(rate) if rate is not None else None,
        average_rating=float(average) if average is not None else None,
        ratings=int(ratings["n"]),
    )
