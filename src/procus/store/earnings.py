"""An expert's paid bookings with what the ledger holds for each, newest call first, a keyset page at a time."""

from __future__ import annotations

import uuid

from procus.domain.bookings import BookingStatus
from procus.domain.cursors import TimeCursor
from procus.domain.earnings import EarningLine, LedgerSums, earning_line
from procus.store.db import Connection
from procus.store.keyset import Keyset

__all__ = ["list_earnings"]

# Only payments whose money arrived; per payment, the sum its entries put on each account kind.
_LATEST = Keyset("c.starts_at", "b.id")
SELECT_EARNINGS = f"""
SELECT b.id AS booking_id, b.status AS booking_status, a.title AS area_title, cu.full_name AS client_name,
       c.starts_at, p.currency, p.amount AS price, c.platform_fee_bps,
       coalesce(sum(l.amount) FILTER (WHERE la.kind = 'escrow_held'), 0)::bigint AS held,
       coalesce(sum(l.amount) FILTER (WHERE la.kind = 'expert_available'), 0)::bigint AS expert,
       coalesce(sum(l.amount) FILTER (WHERE la.kind = 'platform_fees'), 0)::bigint AS fee,
       coalesce(sum(l.amount) FILTER (WHERE la.kind = 'refunds_pending' AND l.amount > 0), 0)::bigint AS refunded
FROM payments p
JOIN bookings b ON b.id = p.booking_id
JOIN calls c ON c.id = b.call_id
JOIN expertise_areas a ON a.id = b.area_id
JOIN users cu ON cu.id = b.client_id
LEFT JOIN ledger_entries e ON e.payment_id = p.id
LEFT JOIN ledger_lines l ON l.entry_id = e.id
LEFT JOIN ledger_accounts la ON la.id = l.account_id
WHERE p.expert_id = $1 AND p.received_amount IS NOT NULL
  AND {_LATEST.after(2)}
GROUP BY b.id, a.title, cu.full_name, c.starts_at, p.currency, p.amount, c.platform_fee_bps
{_LATEST.order(4)}
"""


async def list_earnings(
    conn: Connection, expert_id: uuid.UUID, *, after: TimeCursor | None, limit: int
) -> list[EarningLine]:
    rows = await conn.fetch(SELECT_EARNINGS, expert_id, *_LATEST.args(after), limit)
    return [
        earning_line(
            booking_id=row["booking_id"],
            booking_status=BookingStatus(row["booking_status"]),
            area_title=row["area_title"],
            client_name=row["client_name"],
            starts_at=row["starts_at"],
            currency=row["currency"].strip(),
            price=row["price"],
            fee_bps=row["platform_fee_bps"],
            sums=LedgerSums(held=row["held"], expert=row["expert"], fee=row["fee"], refunded=row["refunded"]),
        )
        for row in rows
    ]
