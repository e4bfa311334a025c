"""A backup taken in the middle of the money's journey restores into a fresh database whose books balance."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from procus.backup import backup, restore
from procus.services.payments import LedgerAuditor
from procus.store.db import Database
from tests.payments.conftest import Payments
from tests.support.database import empty_database

_COUNTS = "SELECT (SELECT count(*) FROM bookings), (SELECT count(*) FROM payments), (SELECT count(*) FROM ledger_lines)"


async def test_a_backup_taken_mid_journey_restores_with_a_ledger_that_verifies(
    payments: Payments, tmp_path: Path
) -> None:
    held = await payments.paid_booking()
    refunded = await payments.paid_booking()
    await payments.refund(refunded.booking_id, 10_000, "cancelled by the expert")
    await payments.book()  # and one still unpaid
    assert await payments.services.ledger.verify() == []
    async with payments.db.connection() as conn:
        before = tuple(await conn.fetchrow(_COUNTS))
    source_url = str(payments.services.settings.database_url)

    dump = tmp_path / "procus.dump"
    await asyncio.to_thread(backup, source_url, dump)
    assert dump.stat().st_size > 0

    restored_url = await empty_database(source_url, f"restored_{uuid.uuid4().hex[:8]}")
    await asyncio.to_thread(restore, restored_url, dump)

    restored = await Database.connect(restored_url, max_size=2)
    try:
        assert await LedgerAuditor(restored).verify() == []
        async with restored.connection() as conn:
            assert tuple(await conn.fetchrow(_COUNTS)) == before
            status = await conn.fetchval("SELECT status::text FROM payments WHERE booking_id = $1", held.booking_id)
        assert status == "held"
    finally:
        await restored.close()
