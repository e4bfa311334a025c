"""The ledger's own guarantees: balanced entries enforced by the database, history that cannot be
rewritten, and ``procus ledger verify`` proving the books agree with every payment and payout."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import asyncpg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from procus.config import Settings
from procus.domain.errors import Conflict, InvalidInput
from procus.domain.ledger import AccountKind, AccountRef, Entry, EntryKind, Line, settlement_entry, settlement_split
from procus.domain.payment_states import (
    PAYMENT_TRANSITIONS,
    REFUND_TRANSITIONS,
    PaymentStatus,
    RefundStatus,
    check_payment_transition,
)
from procus.domain.payout_states import PAYOUT_TRANSITIONS, PayoutStatus, check_payout_transition
from procus.store.db import Database
from tests.payments.conftest import Payments


@given(amount=st.integers(1, 10**12), share=st.integers(0, 10_000), fee_bps=st.integers(0, 10_000))
def test_a_settlement_splits_exactly_what_was_held(amount: int, share: int, fee_bps: int) -> None:
    refund, expert, fee = settlement_split(amount, share, fee_bps)
    assert refund + expert + fee == amount
    assert min(refund, expert, fee) >= 0
    assert refund == amount * share // 10_000
    assert abs(fee * 10_000 - (amount - refund) * fee_bps) <= 5_000, "the fee is rounded to the nearest unit"
    entry = settlement_entry(
        payment_id=uuid.uuid4(),
        expert_id=uuid.uuid4(),
        held=amount,
        currency="NGN",
        refund=refund,
        expert=expert,
        fee=fee,
    )
    assert sum(line.amount for line in entry.lines) == 0


def test_an_unbalanced_or_mixed_entry_cannot_be_built() -> None:
    held = AccountRef(kind=AccountKind.REFUNDS_PENDING, currency="NGN")
    fees = AccountRef(kind=AccountKind.PLATFORM_FEES, currency="NGN")
    dollars = AccountRef(kind=AccountKind.PLATFORM_FEES, currency="USD")
    for lines in (
        (Line(account=held, amount=-100), Line(account=fees, amount=99)),
        (Line(account=held, amount=-100),),
        (Line(account=held, amount=-100), Line(account=dollars, amount=100)),
        (Line(account=held, amount=0), Line(account=fees, amount=0)),
    ):
        with pytest.raises(InvalidInput):
            Entry(kind=EntryKind.RELEASE, lines=lines, payment_id=uuid.uuid4())
    with pytest.raises(InvalidInput):
        AccountRef(kind=AccountKind.EXPERT_AVAILABLE, currency="NGN")


def test_every_status_has_a_row_in_its_transition_table() -> None:
    assert set(PAYMENT_TRANSITIONS) == set(PaymentStatus)
    assert set(REFUND_TRANSITIONS) == set(RefundStatus)
    assert set(PAYOUT_TRANSITIONS) == set(PayoutStatus)
    with pytest.raises(Conflict):
        check_payment_transition(PaymentStatus.REFUNDED, PaymentStatus.RELEASED)
    with pytest.raises(Conflict):
        check_payout_transition(PayoutStatus.FAILED, PayoutStatus.PAID)


async def _post_raw(db: Database, amounts: list[int]) -> None:
    async with db.transaction() as tx:
        account = await tx.fetchval(
            "INSERT INTO ledger_accounts (kind, currency) VALUES ('platform_fees', 'NGN') "
            "ON CONFLICT (kind, owner_id, currency) DO UPDATE SET currency = excluded.currency RETURNING id"
        )
        payout_id = await tx.fetchval(
            "INSERT INTO payouts (expert_id, amount, currency, recipient_code, created_at, updated_at) "
            "SELECT id, 1, 'NGN', 'RCP_x', now(), now() FROM users LIMIT 1 RETURNING id"
        )
        entry = await tx.fetchval(
            "INSERT INTO ledger_entries (kind, payout_id, created_at) VALUES ('payout_paid', $1, now()) RETURNING id",
            payout_id,
        )
        for amount in amounts:
            await tx.execute(
                "INSERT INTO ledger_lines (entry_id, account_id, currency, amount) VALUES ($1, $2, 'NGN', $3)",
                entry,
                account,
                amount,
            )


async def test_the_database_refuses_an_unbalanced_entry_at_commit(payments: Payments) -> None:
    await payments.book()
    for amounts in ([100, -99], [100], []):
        with pytest.raises(asyncpg.CheckViolationError):
            await _post_raw(payments.db, amounts)
    await _post_raw(payments.db, [100, -100])
    async with payments.db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM ledger_entries WHERE kind = 'payout_paid'") == 1


async def test_ledger_and_event_history_cannot_be_rewritten(payments: Payments) -> None:
    booked = await payments.paid_booking()
    async with payments.db.connection() as conn:
        for statement in (
            "UPDATE ledger_lines SET amount = amount * 2",
            "DELETE FROM ledger_lines",
            "UPDATE ledger_entries SET memo = 'edited'",
            "DELETE FROM ledger_entries",
            "UPDATE payment_events SET reason = 'edited'",
            "DELETE FROM payment_events",
        ):
            with pytest.raises(asyncpg.RestrictViolationError):
                await conn.execute(statement)
    payment = await payments.payment(booked.booking_id)
    assert payment["status"] == "held"
    await payments.verify_ledger()


def _verify_cli(settings: Settings) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "APP_ENV": "test"}
    return subprocess.run(
        [sys.executable, "-m", "procus.cli", "ledger", "verify"], env=env, capture_output=True, text=True, check=False
    )


async def test_ledger_verify_passes_on_real_activity_and_names_any_disagreement(
    payments: Payments, settings: Settings
) -> None:
    released = await payments.paid_booking()
    await payments.release(released.booking_id)
    refunded = await payments.paid_booking()
    assert (await payments.cancel(refunded)).status_code == 200
    clean = _verify_cli(settings)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "balanced and consistent" in clean.stdout

    async with payments.db.connection() as conn:
        await conn.execute("UPDATE payments SET status = 'held' WHERE booking_id = $1", released.booking_id)
        await conn.execute("UPDATE refunds SET amount = amount - 1")

    broken = _verify_cli(settings)
    assert broken.returncode == 1
    assert "ledger held is 0, expected 5000" in broken.stdout
    assert "refunds total 4999, the payment says 5000" in broken.stdout
    assert "discrepancies" in broken.stdout
