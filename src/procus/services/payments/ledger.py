"""Proof that the books are right: ``procus ledger verify`` and the tests call :meth:`LedgerAuditor.verify`.

Every entry must balance per currency (the database also refuses unbalanced entries at commit), no
internal account may be negative, and the ledger must agree with every payment, refund and payout
and with each account's balance as the records add it up. Any disagreement is described in words.
"""

from __future__ import annotations

from procus.domain.ledger_audit import (
    account_discrepancies,
    payment_discrepancies,
    payout_discrepancies,
    refund_discrepancies,
)
from procus.store import ledger_audit
from procus.store.db import Database

__all__ = ["LedgerAuditor"]


class LedgerAuditor:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def verify(self) -> list[str]:
        """Every discrepancy found, in one consistent snapshot; an empty list means the books are right."""
        async with self._db.transaction(isolation="repeatable_read") as tx:
            found = await ledger_audit.malformed_entries(tx)
            for payment in await ledger_audit.payment_tallies(tx):
                found += payment_discrepancies(payment)
            for refund in await ledger_audit.refund_tallies(tx):
                found += refund_discrepancies(refund)
            for payout in await ledger_audit.payout_tallies(tx):
                found += payout_discrepancies(payout)
            for account in await ledger_audit.account_tallies(tx):
                found += account_discrepancies(account)
        return found
