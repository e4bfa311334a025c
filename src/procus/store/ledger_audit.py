"""Read-only tallies for ``procus ledger verify``: the ledger's view beside the records' view."""

from __future__ import annotations

import msgspec

from procus.domain.ledger_audit import AccountTally, PaymentTally, PayoutTally, RefundTally
from procus.store.db import Connection

__all__ = ["account_tallies", "malformed_entries", "payment_tallies", "payout_tallies", "refund_tallies"]

SHORT_ENTRIES = """
SELECT e.id, e.kind::text AS kind, count(l.id) AS lines
FROM ledger_entries e LEFT JOIN ledger_lines l ON l.entry_id = e.id
GROUP BY e.id HAVING count(l.id) < 2 ORDER BY e.id
"""
UNBALANCED_ENTRIES = """
SELECT entry_id, currency::text AS currency, sum(amount)::bigint AS total
FROM ledger_lines GROUP BY entry_id, currency HAVING sum(amount) <> 0 ORDER BY entry_id
"""
PAYMENT_TALLIES = """
SELECT p.id, p.status::text AS status, coalesce(p.received_amount, 0) AS received, p.refunded_amount AS refunded,
    p.expert_amount AS expert, p.fee_amount AS fee,
    (SELECT coalesce(sum(r.amount), 0)::bigint FROM refunds r WHERE r.payment_id = p.id) AS refund_rows,
    coalesce(-sum(l.amount) FILTER (WHERE a.kind = 'client_payments'), 0)::bigint AS ledger_collected,
    coalesce(sum(l.amount) FILTER (WHERE a.kind = 'escrow_held'), 0)::bigint AS ledger_held,
    coalesce(sum(l.amount) FILTER (WHERE a.kind = 'refunds_pending'), 0)::bigint AS ledger_refunded,
    coalesce(sum(l.amount) FILTER (WHERE a.kind = 'expert_available'), 0)::bigint AS ledger_expert,
    coalesce(sum(l.amount) FILTER (WHERE a.kind = 'platform_fees'), 0)::bigint AS ledger_fee
FROM payments p
LEFT JOIN ledger_entries e ON e.payment_id = p.id
    AND e.kind IN ('hold', 'release', 'refund', 'refund_after_release')
LEFT JOIN ledger_lines l ON l.entry_id = e.id
LEFT JOIN ledger_accounts a ON a.id = l.account_id
GROUP BY p.id
ORDER BY p.created_at
"""
REFUND_TALLIES = """
SELECT r.id, r.status::text AS status, r.amount,
    coalesce(sum(l.amount) FILTER (WHERE a.kind = 'client_payments'), 0)::bigint AS ledger_returned
FROM refunds r
LEFT JOIN ledger_entries e ON e.refund_id = r.id
LEFT JOIN ledger_lines l ON l.entry_id = e.id
LEFT JOIN ledger_accounts a ON a.id = l.account_id
GROUP BY r.id
ORDER BY r.created_at
"""
PAYOUT_TALLIES = """
SELECT p.id, p.status::text AS status, p.amount,
    coalesce(sum(l.amount) FILTER (WHERE a.kind = 'expert_available'), 0)::bigint AS ledger_available,
    coalesce(sum(l.amount) FILTER (WHERE a.kind = 'payouts_pending'), 0)::bigint AS ledger_pending,
    coalesce(sum(l.amount) FILTER (WHERE a.kind = 'expert_paid_out'), 0)::bigint AS ledger_paid_out
FROM payouts p
LEFT JOIN ledger_entries e ON e.payout_id = p.id
LEFT JOIN ledger_lines l ON l.entry_id = e.id
LEFT JOIN ledger_accounts a ON a.id = l.account_id
GROUP BY p.id
ORDER BY p.created_at
"""
# Each account's balance beside what the payment, refund and payout records add up to.
ACCOUNT_TALLIES = """
WITH expected (kind, owner_id, currency, amount) AS (
    SELECT 'client_payments', NULL::uuid, received_currency::text, -received_amount
        FROM payments WHERE received_amount IS NOT NULL
    UNION ALL SELECT 'client_payments', NULL, currency, amount FROM refunds WHERE status = 'processed'
    UNION ALL SELECT 'escrow_held', expert_id, received_currency, received_amount FROM payments WHERE status = 'held'
    UNION ALL SELECT 'refunds_pending', NULL, currency, amount FROM refunds WHERE status <> 'processed'
    UNION ALL SELECT 'platform_fees', NULL, received_currency, fee_amount FROM payments WHERE fee_amount > 0
    UNION ALL SELECT 'expert_available', expert_id, received_currency, expert_amount
        FROM payments WHERE expert_amount > 0
    UNION ALL SELECT 'expert_available', expert_id, currency, -amount
        FROM payouts WHERE status IN ('pending', 'held', 'processing', 'paid')
    UNION ALL SELECT 'payouts_pending', expert_id, currency, amount
        FROM payouts WHERE status IN ('pending', 'held', 'processing')
    UNION ALL SELECT 'expert_paid_out', expert_id, currency, amount FROM payouts WHERE status = 'paid'
),
expected_totals AS (
    SELECT kind, owner_id, currency, sum(amount)::bigint AS total FROM expected GROUP BY kind, owner_id, currency
),
balances AS (
    SELECT a.kind::text AS kind, a.owner_id, a.currency::text AS currency, coalesce(sum(l.amount), 0)::bigint AS balance
    FROM ledger_accounts a LEFT JOIN ledger_lines l ON l.account_id = a.id
    GROUP BY a.id
)
SELECT coalesce(b.kind, x.kind) AS kind, coalesce(b.owner_id, x.owner_id) AS owner_id,
    coalesce(b.currency, x.currency) AS currency, coalesce(b.balance, 0) AS balance, coalesce(x.total, 0) AS expected
FROM balances b
FULL JOIN expected_totals x
    ON x.kind = b.kind AND x.owner_id IS NOT DISTINCT FROM b.owner_id AND x.currency = b.currency
ORDER BY 1, 3, 2
"""


async def malformed_entries(conn: Connection) -> list[str]:
    """Entries with fewer than two lines, or whose lines do not sum to zero in a currency."""
    short = [
        f"ledger entry {row['id']} ({row['kind']}) has {row['lines']} line(s)"
        for row in await conn.fetch(SHORT_ENTRIES)
    ]
    unbalanced = [
        f"ledger entry {row['entry_id']} is off by {row['total']} {row['currency']}"
        for row in await conn.fetch(UNBALANCED_ENTRIES)
    ]
    return short + unbalanced


async def payment_tallies(conn: Connection) -> list[PaymentTally]:
    return [msgspec.convert(dict(row), PaymentTally) for row in await conn.fetch(PAYMENT_TALLIES)]


async def refund_tallies(conn: Connection) -> list[RefundTally]:
    return [msgspec.convert(dict(row), RefundTally) for row in await conn.fetch(REFUND_TALLIES)]


async def payout_tallies(conn: Connection) -> list[PayoutTally]:
    return [msgspec.convert(dict(row), PayoutTally) for row in await conn.fetch(PAYOUT_TALLIES)]


async def account_tallies(conn: Connection) -> list[AccountTally]:
    return [
        AccountTally(
            kind=row["kind"],
            owner_id=row["owner_id"],
            currency=row["currency"].strip(),
            balance=int(row["balance"]),
            expected=int(row["expected"]),
        )
        for row in await conn.fetch(ACCOUNT_TALLIES)
    ]
