"""The load benchmark's harness and its invariant checks (bench/load.py); its figures are not judged here.

The short mode runs the whole stack (PostgreSQL, livekit-server, the fake Paystack, mail, ``procus
serve`` and ``procus worker``) for a few seconds with a few users: every operation of the mix must
happen without an error and the invariants must hold. The checks themselves are shown to catch
what they look for, on rows planted behind the services' backs.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import uuid

import pytest

from procus.config import PROJECT_ROOT
from procus.store.db import Database
from tests.support.bookings import bookable_expert, insert_client

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import load


@pytest.mark.livekit
def test_the_short_mode_runs_every_operation_and_the_invariants_hold() -> None:
    command = [
        sys.executable, str(PROJECT_ROOT / "bench" / "load.py"),
        "--duration", "4", "--users", "4", "--experts", "3", "--think", "0.05", "--buy-share", "0.8",
    ]  # fmt: skip
    run = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=PROJECT_ROOT)
    output = run.stdout
    assert run.returncode == 0, f"{output}\n{run.stderr[-4000:]}"
    assert "invariants: ok" in output
    for name in (*load.READS, *load.WRITES, *load.WEBHOOKS, *load.FAKE_ONLY):
        row = re.search(rf"^{re.escape(name)}\s+\w+\s+(\d+)\s.*\s(\d+)\s\s", output, re.MULTILINE)
        assert row is not None, f"no row for {name}:\n{output}"
        assert int(row[1]) > 0, f"{name} never ran:\n{output}"
        assert row[2] == "0", f"{name} had errors:\n{output}"
    assert re.search(r"^throughput: .* errors: 0$", output, re.MULTILINE)


async def _booking(db: Database, expert_id: uuid.UUID, area_id: uuid.UUID, client_id: uuid.UUID) -> uuid.UUID:
    """A confirmed booking tomorrow at 10:00 UTC written straight into the tables, without its time hold."""
    call_id, booking_id = uuid.uuid4(), uuid.uuid4()
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    end = start + dt.timedelta(hours=1)
    async with db.connection() as conn:
        await conn.execute(
            "INSERT INTO calls (id, expert_id, client_id, area_id, starts_at, duration_minutes, ends_at, blocked,"
            " price_amount, currency, platform_fee_bps, room_name)"
            " VALUES ($1, $2, $3, $4, $5, 60, $6, tstzrange($5, $6), 5000, 'NGN', 1000, $7)",
            call_id, expert_id, client_id, area_id, start, end, f"planted-{call_id}",
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO bookings (id, call_id, client_id, expert_id, area_id, status, expires_at, created_at,"
            " updated_at) VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, now(), now())",
            booking_id, call_id, client_id, expert_id, area_id, start,
        )  # fmt: skip
    return booking_id


async def test_the_invariant_checks_catch_overlaps_and_payments_applied_other_than_once(db: Database) -> None:
    expert = await bookable_expert(db)
    first_client, second_client = await insert_client(db), await insert_client(db)
    assert await load.invariants(db, set()) == []

    booking_id = await _booking(db, expert.id, expert.area_id, first_client)
    await _booking(db, expert.id, expert.area_id, second_client)
    async with db.connection() as conn:
        await conn.execute(
            "INSERT INTO payments (booking_id, reference, client_id, expert_id, amount, currency, status,"
            " authorization_url, received_amount, received_currency, paid_at, created_at, updated_at)"
            " VALUES ($1, 'bk-planted', $2, $3, 5000, 'NGN', 'held', 'http://fake/checkout', 5000, 'NGN', now(),"
            " now(), now())",
            booking_id, first_client, expert.id,
        )  # fmt: skip
    problems = await load.invariants(db, {"bk-unknown"})
    assert "1 payments made at Paystack are unknown here, e.g. bk-unknown" in problems

    assert any("pairs of active bookings overlap" in p for p in problems), problems
    assert any(p.startswith("payment bk-planted (held, booking confirmed): 0 holds") for p in problems), problems
    assert any("ledger:" in p for p in problems), problems
