"""An expert's earnings statement: the ledger lines of their available balance over a month, in SQL."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from procus.domain.statements import CurrencyStatement, EarningsLine
from procus.store.db import Connection

__all__ = ["currency_statements"]

OPENING = """
SELECT l.currency::text AS currency, sum(l.amount)::bigint AS balance
FROM ledger_lines l
JOIN ledger_entries e ON e.id = l.entry_id
JOIN ledger_accounts a ON a.id = l.account_id
WHERE a.kind = 'expert_available' AND a.owner_id = $1 AND e.created_at < $2
GROUP BY 1
"""
MOVEMENTS = """
SELECT e.created_at AS at, e.kind::text AS kind, l.amount, l.currency::text AS currency, p.booking_id, e.payout_id
FROM ledger_lines l
JOIN ledger_entries e ON e.id = l.entry_id
JOIN ledger_accounts a ON a.id = l.account_id
LEFT JOIN payments p ON p.id = e.payment_id
WHERE a.kind = 'expert_available' AND a.owner_id = $1 AND e.created_at >= $2 AND e.created_at < $3
ORDER BY e.created_at, e.id
"""
FEES = """
SELECT l.currency::text AS currency, sum(l.amount)::bigint AS fees
FROM ledger_lines l
JOIN ledger_entries e ON e.id = l.entry_id
JOIN ledger_accounts a ON a.id = l.account_id
JOIN payments p ON p.id = e.payment_id
WHERE a.kind = 'platform_fees' AND p.expert_id = $1 AND e.created_at >= $2 AND e.created_at < $3
GROUP BY 1
"""
_EARNED = ("release", "refund")
_TAKEN_BACK = ("refund_after_release",)


async def currency_statements(
    conn: Connection, expert_id: uuid.UUID, start: dt.datetime, end: dt.datetime
) -> list[CurrencyStatement]:
    """One statement per currency the expert's balance has ever held, for ``[start, end)``."""
    opening = {row["currency"]: row["balance"] for row in await conn.fetch(OPENING, expert_id, start)}
    fees = {row["currency"]: row["fees"] for row in await conn.fetch(FEES, expert_id, start, end)}
    lines: defaultdict[str, list[EarningsLine]] = defaultdict(list)
    for row in await conn.fetch(MOVEMENTS, expert_id, start, end):
        lines[row["currency"]].append(
            EarningsLine(
                at=row["at"],
                kind=row["kind"],
                amount=row["amount"],
                booking_id=row["booking_id"],
                payout_id=row["payout_id"],
            )
        )
    statements = []
    for currency in sorted(set(opening) | set(lines) | set(fees)):
        moved = lines.get(currency, [])
        earned = sum(line.amount for line in moved if line.kind in _EARNED)
        taken_back = -sum(line.amount for line in moved if line.kind in _TAKEN_BACK)
        paid_out = -sum(line.amount for line in moved if line.payout_id is not None)
        start_balance = opening.get(currency, 0)
        statements.append(
            CurrencyStatement(
                currency=currency,
                opening_balance=start_balance,
                earned=earned,
                taken_back=taken_back,
                paid_out=paid_out,
                platform_fees=fees.get(currency, 0),
                closing_balance=start_balance + sum(line.amount for line in moved),
                lines=moved,
            )
        )
    return statements
