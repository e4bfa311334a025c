"""Random sequences of bookings, payments, cancellations, completions, refunds and payouts never lose,
create or double-count money.

A hypothesis state machine drives the real services (bookings, escrow, webhooks, refunds, payouts) with
the real Paystack client against the fake Paystack. After every step: the ledger audit finds nothing
(every entry balances, no balance is negative, the ledger agrees with every record), and what our books
say we hold equals what Paystack holds for us (charges less processed refunds and paid transfers).

The machine runs on its own event loop in a worker thread: hypothesis rules are synchronous.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import uuid
from collections.abc import Coroutine
from typing import Any, ClassVar, TypeVar

import httpx
from hypothesis import HealthCheck, event
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from procus.bootstrap import Container, Integrations
from procus.config import Settings
from procus.domain.accounts import Principal, Role
from procus.domain.bookings import BookingStatus
from procus.domain.errors import DomainError
from procus.domain.payment_states import RefundStatus
from procus.services.bookings import BookingRequest
from procus.store import bookings as booking_store
from tests.support.bookings import bookable_expert, insert_client, principal
from tests.support.database import reset_tables
from tests.support.fakes import FakeClock, FakeGoogleIdentity, RecordingMailSender
from tests.support.payments import PaystackRelay, Webhook, paystack_client

T = TypeVar("T")
HELD_BY_US = """
SELECT coalesce(sum(l.amount), 0)::bigint FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
WHERE a.kind NOT IN ('client_payments', 'expert_paid_out')
"""
PRICES = (400_00, 333_33)


class World:
    """What every example shares: the loop, the services, the fake Paystack."""

    loop: asyncio.AbstractEventLoop
    services: Container
    relay: PaystackRelay
    clock: FakeClock

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)


class MoneyMachine(RuleBasedStateMachine):
    world: ClassVar[World]

    def __init__(self) -> None:
        super().__init__()
        self.experts: list[tuple[Principal, uuid.UUID]] = []
        self.client: Principal | None = None
        self.bookings: list[tuple[uuid.UUID, str, int]] = []
        self.paid: set[str] = set()
        self.delivered: list[Webhook] = []
        self.accounts: set[uuid.UUID] = set()
        self.payouts: list[tuple[uuid.UUID, uuid.UUID]] = []
        self.confirmed: list[uuid.UUID] = []
        self.slot = 0

    # helpers -------------------------------------------------------------------------------------

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T | None:
        """Run one action; the domain refusing it (a rule, a state conflict) is a legitimate outcome."""
        try:
            return self.world.run(coroutine)
        except DomainError as exc:
            event(f"refused: {exc.code}")
            return None

    def _deliver(self, hook: Webhook) -> str:
        outcome = self.world.run(self.world.services.paystack_webhooks.receive(hook.body, hook.signature))
        self.delivered.append(hook)
        event(f"{hook.event}: {outcome}")
        return outcome

    async def _refunds(self, *statuses: RefundStatus) -> list[tuple[uuid.UUID, str, int | None]]:
        async with self.world.services.db.connection() as conn:
            rows = await conn.fetch(
                "SELECT r.id, p.reference, r.provider_refund_id FROM refunds r JOIN payments p ON p.id = r.payment_id"
                " WHERE r.status = ANY($1::refund_status[]) ORDER BY r.created_at",
                [status.value for status in statuses],
            )
        return [(row["id"], row["reference"], row["provider_refund_id"]) for row in rows]

    async def _payout_status(self, payout_id: uuid.UUID) -> str:
        async with self.world.services.db.connection() as conn:
            status: str = await conn.fetchval("SELECT status::text FROM payouts WHERE id = $1", payout_id)
        return status

    # set-up --------------------------------------------------------------------------------------

    @initialize()
    def people(self) -> None:
        db = self.world.services.db
        for price in PRICES:
            expert = self.world.run(bookable_expert(db, price=price, min_notice_minutes=0))
            self.experts.append((principal(expert.id, Role.EXPERT), expert.area_id))
        self.client = principal(self.world.run(insert_client(db)))
        for which in range(len(PRICES)):
            self.register_account(which)

    # bookings and payments -------------------------------------------------------------------------

    @rule(which=st.integers(0, len(PRICES) - 1), pay_now=st.booleans(), accept=st.booleans())
    def book(self, which: int, pay_now: bool, accept: bool) -> None:
        expert, area_id = self.experts[which]
        assert self.client is not None
        self.slot += 1
        start = (self.world.clock.now() + dt.timedelta(days=3, hours=self.slot)).replace(
            minute=0, second=0, microsecond=0
        )
        request = BookingRequest(expert_id=expert.user_id, area_id=area_id, start=start)
        created = self._run(self.world.services.bookings.requests.request(self.client, request))
        if created is None:
            return
        reference = created.result.checkout.reference
        self.bookings.append((created.result.booking.view.booking.id, reference, which))
        if pay_now:
            self._pay(reference)
            if accept:
                self._accept(created.result.booking.view.booking.id, which)

    @precondition(lambda self: self.bookings)
    @rule(data=st.data())
    def pay(self, data: st.DataObject) -> None:
        _, reference, _ = data.draw(st.sampled_from(self.bookings))
        self._pay(reference)

    def _pay(self, reference: str) -> None:
        if reference in self.paid:
            return
        self.paid.add(reference)
        self._deliver(self.world.run(self.world.relay.pay(reference)))

    @precondition(lambda self: self.delivered)
    @rule(data=st.data())
    def redeliver(self, data: st.DataObject) -> None:
        assert self._deliver(data.draw(st.sampled_from(self.delivered))) == "duplicate"

    @precondition(lambda self: self.bookings)
    @rule(data=st.data(), by_expert=st.booleans())
    def cancel(self, data: st.DataObject, by_expert: bool) -> None:
        booking_id, _, which = data.draw(st.sampled_from(self.bookings))
        who = self.experts[which][0] if by_expert else self.client
        assert who is not None
        self._run(self.world.services.bookings.cancellations.cancel(who, booking_id, "Change of plans"))

    @precondition(lambda self: self.bookings)
    @rule(data=st.data())
    def accept(self, data: st.DataObject) -> None:
        booking_id, _, which = data.draw(st.sampled_from(self.bookings))
        self._accept(booking_id, which)

    def _accept(self, booking_id: uuid.UUID, which: int) -> None:
        if self._run(self.world.services.bookings.answers.accept(self.experts[which][0], booking_id)) is not None:
            self.confirmed.append(booking_id)

    @precondition(lambda self: self.confirmed)
    @rule(data=st.data(), share=st.sampled_from([0, 0, 2_500, 5_000, 10_000]))
    def confirmed_booking_ends(self, data: st.DataObject, share: int) -> None:
        self._end(data.draw(st.sampled_from(self.confirmed)), share)

    @rule(which=st.integers(0, len(PRICES) - 1), share=st.sampled_from([0, 0, 5_000]))
    def a_whole_booking_in_one_step(self, which: int, share: int) -> None:
        """Booked, paid, accepted and ended: so that experts earn often enough to ask for payouts."""
        self.book(which, pay_now=True, accept=True)
        if self.confirmed:
            self._end(self.confirmed[-1], share)

    def _end(self, booking_id: uuid.UUID, share: int) -> None:
        """What bookings do when a confirmed call takes place (release), or is called off late under a
        partial-refund policy (refund ``share``, the rest to the expert)."""
        escrow, now = self.world.services.escrow, self.world.clock.now()

        async def end() -> None:
            async with self.world.services.db.transaction() as tx:
                booking = await booking_store.lock_booking(tx, booking_id)
                if booking.status is not BookingStatus.CONFIRMED:
                    return
                if share:
                    await booking_store.set_status(tx, booking_id, BookingStatus.CANCELLED, reason="late", now=now)
                    await escrow.refund(tx, booking, share_bps=share, reason="late cancellation")
                else:
                    await booking_store.set_status(tx, booking_id, BookingStatus.COMPLETED, reason=None, now=now)
                    await escrow.release(tx, booking)

        self.world.run(end())

    @rule(minutes=st.sampled_from([5, 20, 40]))
    def time_passes(self, minutes: int) -> None:
        self.world.clock.advance(minutes=minutes)
        self.world.run(self.world.services.escrow.expire_unpaid())
        self.world.run(self.world.services.bookings.expiry.expire_unanswered())

    # refunds --------------------------------------------------------------------------------------

    @rule()
    def refund_jobs_run(self) -> None:
        for refund_id, _, _ in self.world.run(self._refunds(RefundStatus.QUEUED)):
            self.world.run(self.world.services.refunds.execute(refund_id))

    @rule(outcome=st.sampled_from(["process", "fail"]))
    def paystack_settles_a_refund(self, outcome: str) -> None:
        submitted = self.world.run(self._refunds(RefundStatus.SUBMITTED))
        if not submitted:
            return
        _, reference, provider_id = submitted[0]
        assert provider_id is not None
        self.world.run(self.world.relay.fake.settle_refund(provider_id, outcome))
        self._deliver(self.world.run(self.world.relay.refund_settled(provider_id, reference, outcome)))

    @rule()
    def failed_refunds_are_retried(self) -> None:
        self.world.run(self.world.services.refunds.retry_due(self.world.clock.now() + dt.timedelta(days=2)))

    # payouts --------------------------------------------------------------------------------------

    @rule(which=st.integers(0, len(PRICES) - 1))
    def register_account(self, which: int) -> None:
        expert, _ = self.experts[which]
        self.world.run(
            self.world.services.payouts.register_account(
                expert, bank_code="057", account_number="0000000000", name="Ada Expert", currency="NGN"
            )
        )
        self.accounts.add(expert.user_id)

    @precondition(lambda self: self.accounts)
    @rule(which=st.integers(0, len(PRICES) - 1), percent=st.sampled_from([30, 50, 100, 101]))
    def request_payout(self, which: int, percent: int) -> None:
        """Ask for a share of what is available (101%: just too much)."""
        expert, _ = self.experts[which]
        balances = self.world.run(self.world.services.payouts.balance(expert))
        available = balances[0].available if balances else 0
        amount = available * percent // 100 + (1 if percent > 100 else 0)
        if amount > 0:
            self._withdraw(expert, amount)

    @rule()
    def the_richest_expert_withdraws_everything(self) -> None:
        available = {
            expert.user_id: balances[0].available if balances else 0
            for expert, _ in self.experts
            for balances in [self.world.run(self.world.services.payouts.balance(expert))]
        }
        expert = max((expert for expert, _ in self.experts), key=lambda e: available[e.user_id])
        if available[expert.user_id]:
            self._withdraw(expert, available[expert.user_id])

    def _withdraw(self, expert: Principal, amount: int) -> None:
        outcome = self._run(self.world.services.payouts.request(expert, amount=amount))
        if outcome is not None:
            event("payout requested")
            self.payouts.append((outcome.result.id, expert.user_id))
            self.world.run(self.world.services.payouts.submit(outcome.result.id))

    @precondition(lambda self: self.payouts)
    @rule(data=st.data(), outcome=st.sampled_from(["succeed", "fail", "reverse"]))
    def paystack_settles_a_transfer(self, data: st.DataObject, outcome: str) -> None:
        payout_id, _ = data.draw(st.sampled_from(self.payouts))
        try:
            hook = self.world.run(self.world.relay.settle_transfer(str(payout_id), outcome))
        except httpx.HTTPStatusError:
            return  # Paystack refuses it in this state (e.g. failing a paid transfer)
        self._deliver(hook)

    # invariants -----------------------------------------------------------------------------------

    @invariant()
    def the_books_are_right(self) -> None:
        assert self.world.run(self.world.services.ledger.verify()) == []

    @invariant()
    def what_we_hold_is_what_paystack_holds(self) -> None:
        self.world.run(self._compare_with_paystack())

    async def _compare_with_paystack(self) -> None:
        """Paystack's side from the fake's own books (it runs in this process): charges that succeeded,
        less refunds it processed, less transfers it paid, for this example's references."""
        books = self.world.relay.fake.fake.ledger
        held_at_paystack = 0
        for _, reference, _ in self.bookings:
            transaction = books.transactions[reference]
            if transaction.status == "success":
                processed = sum(refund.amount for refund in transaction.refunds if refund.status == "processed")
                held_at_paystack += transaction.amount - processed
        for payout_id, _ in self.payouts:
            transfer = books.transfers.get(str(payout_id))
            if transfer is not None and transfer.status == "success":
                held_at_paystack -= transfer.amount
        async with self.world.services.db.connection() as conn:
            ours = await conn.fetchval(HELD_BY_US)
        assert ours == held_at_paystack

    def teardown(self) -> None:
        async def reset() -> None:
            async with self.world.services.db.connection() as conn:
                await reset_tables(conn)  # type: ignore[arg-type]

        self.world.run(reset())


def _run_machine(app_settings: Settings, relay: PaystackRelay) -> None:
    world = World()
    world.loop = asyncio.new_event_loop()
    world.relay = relay
    world.clock = FakeClock()
    try:
        integrations = Integrations(
            clock=world.clock,
            google=FakeGoogleIdentity(),
            mail=RecordingMailSender(),
            payments=paystack_client(relay.fake),
        )
        world.services = world.run(Container.create(app_settings, integrations))
        MoneyMachine.world = world
        try:
            run_state_machine_as_test(
                MoneyMachine,
                settings=hypothesis_settings(
                    max_examples=15,
                    stateful_step_count=40,
                    deadline=None,
                    suppress_health_check=[HealthCheck.too_slow],
                ),
            )
        finally:
            world.run(world.services.close())
    finally:
        world.loop.close()


def test_money_is_never_lost_created_or_counted_twice(settings: Settings, paystack_relay: PaystackRelay) -> None:
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(_run_machine, settings, paystack_relay).result()
