"""Escrow with Paystack: the :class:`~procus.services.ports.escrow.Escrow` that bookings call.

A booking's full price is charged upfront through a hosted checkout and held once Paystack confirms
it (webhook, or a verification we ask for). When the booking ends the held money is settled in one
ledger entry: released to the expert less the platform fee snapshotted on the booking, refunded, or
split between the two. Nothing here calls Paystack while a transaction is open: checkouts are
prepared before the booking's transaction, refunds are sent by a job (:mod:`.refunds`).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from typing import Any

from procus.domain.accounts import Principal, Role
from procus.domain.bookings import Booking, BookingStatus
from procus.domain.errors import Conflict, NotFound, ServiceUnavailable
from procus.domain.gateway import TRANSACTION_FAILED
from procus.domain.ledger import (
    AccountKind,
    AccountRef,
    hold_entry,
    refund_after_release_entry,
    refund_after_release_split,
    settlement_entry,
    settlement_split,
)
from procus.domain.money import Money
from procus.domain.payment_states import PaymentStatus
from procus.domain.payments import ChargeReport, Payment, PaymentReading, is_booking_reference, payment_reference
from procus.services.notices.payments import PaymentNotices
from procus.services.payments.refunds import queue_refund
from procus.services.payments.transitions import move_payment
from procus.services.ports.clock import Clock
from procus.services.ports.escrow import Checkout, EscrowState, Payer
from procus.services.ports.payment_gateway import PaymentGateway
from procus.store import bookings as booking_store
from procus.store import ledger, payments, refunds
from procus.store.db import Connection, Database

__all__ = ["EscrowService"]

log = logging.getLogger(__name__)

_MAY_BE_PAID_LATE = frozenset({PaymentStatus.PENDING, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED})


class EscrowService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        gateway: PaymentGateway,
        notices: PaymentNotices,
        *,
        callback_url: str,
        unpaid_within: dt.timedelta = dt.timedelta(minutes=30),
        dispute_window: dt.timedelta = dt.timedelta(0),
    ) -> None:
        self._db = db
        self._clock = clock
        self._gateway = gateway
        self._notices = notices
        self._callback_url = callback_url
        self._unpaid_within = unpaid_within
        self._dispute_window = dispute_window

    # The Escrow port ----------------------------------------------------------------------------

    async def prepare_checkout(self, *, booking_id: uuid.UUID, payer_email: str, price: Money) -> Checkout:
        reference = payment_reference(booking_id, secrets.token_hex(4))
        checkout = await self._gateway.initialize_transaction(
            email=payer_email,
            amount=price.amount,
            currency=price.currency,
            reference=reference,
            callback_url=self._callback_url,
            metadata={"booking_id": str(booking_id)},
        )
        return Checkout(reference=checkout.reference, authorization_url=checkout.authorization_url)

    async def record_pending(self, tx: Connection, payer: Payer, checkout: Checkout) -> None:
        now = self._clock.now()
        payment = await payments.insert_payment(
            tx,
            booking_id=payer.booking_id,
            reference=checkout.reference,
            client_id=payer.client_id,
            expert_id=payer.expert_id,
            amount=payer.price.amount,
            currency=payer.price.currency,
            authorization_url=checkout.authorization_url,
            at=now,
        )
        await payments.insert_payment_event(tx, payment.id, from_status=None, to_status=payment.status, at=now)

    async def state(self, tx: Connection, booking_id: uuid.UUID) -> EscrowState | None:
        payment = await payments.find_payment_by_booking(tx, booking_id)
        if payment is None:
            return None
        return EscrowState(
            status=payment.status.value,
            amount=Money(payment.amount, payment.currency),
            refunded_amount=payment.refunded_amount,
        )

    async def refund(self, tx: Connection, booking: Booking, *, share_bps: int, reason: str) -> None:
        """Held money: ``share_bps`` goes back to the client, the rest to the expert (less the fee).
        Unpaid: the payment is closed (``expired`` if the booking expired, else ``cancelled``).
        Already settled: nothing moves again. Released: refused, the expert has the money."""
        payment = await payments.find_payment_by_booking(tx, booking.id, lock=True)
        if payment is None:
            return
        now = self._clock.now()
        if payment.status is PaymentStatus.PENDING:
            target = PaymentStatus.EXPIRED if booking.status is BookingStatus.EXPIRED else PaymentStatus.CANCELLED
            await move_payment(tx, payment, target, now, reason=reason)
        elif payment.status is PaymentStatus.HELD:
            await self._settle(tx, payment, share_bps, booking.platform_fee_bps, reason, now)
        elif payment.status is PaymentStatus.RELEASED:
            raise Conflict("refund_after_release", "The payment was already released to the expert")

    async def refund_released(self, tx: Connection, booking: Booking, *, amount: int, reason: str) -> Payment:
        """Refund ``amount`` of money already released (an admin's decision on a completed booking): taken
        back from the expert's available balance and the platform's fee. Refused while the expert's
        balance cannot cover it: the money was already paid out."""
        payment = await payments.find_payment_by_booking(tx, booking.id, lock=True)
        if payment is None or payment.status not in (PaymentStatus.RELEASED, PaymentStatus.PARTIALLY_REFUNDED):
            status = payment.status if payment else "missing"
            raise Conflict("payment_not_released", f"Only released money can be refunded this way (payment: {status})")
        from_expert, from_fee = refund_after_release_split(
            amount, expert=payment.expert_amount, fee=payment.fee_amount, fee_bps=booking.platform_fee_bps
        )
        currency = payment.received_currency or payment.currency
        available = AccountRef(kind=AccountKind.EXPERT_AVAILABLE, currency=currency, owner_id=payment.expert_id)
        await ledger.lock_account(tx, available)
        if await ledger.account_balance(tx, available) < from_expert:
            raise Conflict(
                "already_paid_out", "The expert has already been paid this money; it cannot be taken back from them"
            )
        now = self._clock.now()
        entry = refund_after_release_entry(
            payment_id=payment.id,
            expert_id=payment.expert_id,
            currency=currency,
            from_expert=from_expert,
            from_fee=from_fee,
        )
        await ledger.post_entry(tx, entry, now)
        settled = await payments.record_settlement(
            tx,
            payment.id,
            refunded=payment.refunded_amount + amount,
            expert=payment.expert_amount - from_expert,
            fee=payment.fee_amount - from_fee,
            fee_bps=payment.fee_bps,
            at=now,
        )
        target = (
            PaymentStatus.REFUNDED
            if settled.expert_amount + settled.fee_amount == 0
            else PaymentStatus.PARTIALLY_REFUNDED
        )
        detail = {"refund": amount, "from_expert": from_expert, "from_fee": from_fee}
        if target is not payment.status:
            settled = await move_payment(tx, settled, target, now, reason=reason, detail=detail)
        else:
            await payments.insert_payment_event(
                tx, payment.id, from_status=payment.status, to_status=target, at=now, reason=reason, detail=detail
            )
        await queue_refund(tx, settled, amount=amount, currency=currency, reason=reason, at=now)
        return settled

    async def call_paid_expert(self, tx: Connection, booking: Booking) -> None:
        if not self._dispute_window:
            await self.release(tx, booking)

    async def release(self, tx: Connection, booking: Booking) -> None:
        payment = await payments.find_payment_by_booking(tx, booking.id, lock=True)
        if payment is None:
            raise Conflict("payment_missing", "This booking has no payment to release")
        if payment.status is PaymentStatus.RELEASED:
            return
        if payment.status is not PaymentStatus.HELD:
            raise Conflict(f"payment_{payment.status}", f"A {payment.status} payment cannot be released")
        await self._settle(tx, payment, 0, booking.platform_fee_bps, "the call took place", self._clock.now())

    # Charges --------------------------------------------------------------------------------------

    async def apply_charge(self, tx: Connection, charge: ChargeReport) -> str:
        """A charge Paystack confirmed (webhook or verification); returns what it did.

        The money is recorded as collected whatever state the payment is in. A pending payment with
        the right amount and currency becomes held (and only now is the expert told of the request);
        anything else is refunded in full: a wrong amount or currency (``failed``), or a payment for
        a booking that ended unpaid (``cancelled``/``expired``).
        """
        payment = await payments.find_payment_by_reference(tx, charge.reference, lock=True)
        if payment is None:
            if is_booking_reference(charge.reference):
                # Paid before the booking's transaction committed: have Paystack deliver it again shortly.
                raise ServiceUnavailable("payment_not_recorded_yet", "This payment is not recorded yet; retry")
            return "unknown_reference"
        if payment.received:
            return "duplicate"
        now = self._clock.now()
        payment = await payments.record_charge(tx, payment.id, charge, now)
        entry = hold_entry(
            payment_id=payment.id, expert_id=payment.expert_id, amount=charge.amount, currency=charge.currency
        )
        await ledger.post_entry(tx, entry, now)
        detail = {"transaction_id": charge.transaction_id, "amount": charge.amount, "currency": charge.currency}
        matches = (charge.amount, charge.currency) == (payment.amount, payment.currency)
        if payment.status is PaymentStatus.PENDING and matches:
            payment = await move_payment(tx, payment, PaymentStatus.HELD, now, reason="charge confirmed", detail=detail)
            await self._notices.booking_paid(tx, payment, now)
            return "held"
        if payment.status is PaymentStatus.PENDING:
            target, reason = PaymentStatus.FAILED, "the charge does not match the booking's price"
            log.error("payment %s: charged %s, the price is %s", payment.reference, detail, payment.amount)
        elif payment.status.unpaid_end:
            target, reason = PaymentStatus.REFUNDED, f"paid after the booking was {payment.status}"
        else:
            raise Conflict("payment_state_conflict", f"A {payment.status} payment cannot take a charge")
        split = (payment.received_amount or 0, 0, 0)
        await self._empty_escrow(tx, payment, target, split, fee_bps=None, reason=reason, now=now, detail=detail)
        return str(target)

    async def verify(self, principal: Principal, reference: str) -> PaymentReading:
        """Ask Paystack about a payment (the checkout callback page, or a webhook that is late)."""
        async with self._db.connection() as conn:
            payment = await payments.find_payment_by_reference(conn, reference)
        if payment is None or (principal.user_id != payment.client_id and principal.role is not Role.ADMIN):
            raise NotFound.no_such("payment")
        if not payment.received and payment.status in _MAY_BE_PAID_LATE:
            await self._check_with_provider(payment)
        async with self._db.connection() as conn:
            payment = await payments.get_payment(conn, payment.id)
            return PaymentReading(
                payment=payment, unconfirmed_refunds=await refunds.unconfirmed_amount(conn, payment.id)
            )

    async def checkout_again(self, principal: Principal, booking_id: uuid.UUID) -> Checkout:
        """A client pays again while the slot is still held: the same checkout while it can still be
        paid, a new one once the provider says the attempt failed. A new checkout is made only then,
        so a booking never has two payable checkouts at once (two charges for one booking)."""
        now = self._clock.now()
        async with self._db.connection() as conn:
            payment = await payments.find_payment_by_booking(conn, booking_id)
            booking = await booking_store.get_booking(conn, booking_id)
        if payment is None or payment.client_id != principal.user_id:
            raise NotFound.no_such("booking")
        if payment.received or payment.status is not PaymentStatus.PENDING:
            raise Conflict(
                "payment_not_pending", f"This booking's payment is {payment.status}", status=payment.status.value
            )
        if booking.status is not BookingStatus.PENDING or booking.created_at + self._unpaid_within <= now:
            raise Conflict("slot_released", "The time to pay has passed and the slot was released; book again")
        try:
            found = await self._gateway.verify_transaction(payment.reference)
        except NotFound:
            found = None
        if found is not None and found.succeeded:
            await self._check_with_provider(payment)
            raise Conflict("payment_received", "This booking is already paid")
        if found is not None and found.status != TRANSACTION_FAILED:
            return Checkout(reference=payment.reference, authorization_url=payment.authorization_url)
        price = Money(payment.amount, payment.currency)
        checkout = await self.prepare_checkout(booking_id=booking_id, payer_email=principal.email, price=price)
        async with self._db.transaction() as tx:
            current = await payments.find_payment_by_booking(tx, booking_id, lock=True)
            if current is None or current.reference != payment.reference or current.received:
                raise Conflict("payment_changed", "This payment changed meanwhile; reload the booking")
            await payments.replace_checkout(
                tx, current.id, reference=checkout.reference, authorization_url=checkout.authorization_url, at=now
            )
            await payments.insert_payment_event(
                tx,
                current.id,
                from_status=current.status,
                to_status=current.status,
                at=now,
                reason="checkout restarted after a failed attempt",
                detail={"replaced": current.reference, "reference": checkout.reference},
            )
        return checkout

    async def expire_unpaid(self, now: dt.datetime | None = None) -> int:
        """Ask Paystack about payments still pending near the end of their window, so a paid booking
        whose webhook is late is not expired as unpaid (bookings expire the unpaid ones). Returns how
        many turned out paid."""
        now = now or self._clock.now()
        cutoff = now - self._unpaid_within + dt.timedelta(minutes=2)
        async with self._db.connection() as conn:
            stale = await payments.stale_pending_payments(conn, cutoff)
        paid = 0
        for payment in stale:
            try:
                paid += await self._check_with_provider(payment)
            except ServiceUnavailable as exc:
                log.warning("payment %s: could not ask Paystack: %s", payment.reference, exc)
        return paid

    # Internals ------------------------------------------------------------------------------------

    async def confirmed_charge(self, reported: ChargeReport) -> ChargeReport | None:
        """Paystack's own record of a charge a webhook reported, or None if Paystack does not confirm it.

        A signed webhook is not proof enough to hold money (Paystack recommends verifying): the
        transaction is looked up by reference and its status, amount and currency are the ones that
        count. Raises ServiceUnavailable while Paystack cannot be asked; the webhook then answers 503
        with nothing recorded, and Paystack delivers it again.
        """
        confirmed = await self._verified_charge(reported.reference)
        if confirmed is None:
            log.warning("payment %s: Paystack does not confirm the reported charge", reported.reference)
        elif (confirmed.amount, confirmed.currency) != (reported.amount, reported.currency):
            log.warning(
                "payment %s: webhook reported %s %s, Paystack has %s %s",
                reported.reference,
                reported.amount,
                reported.currency,
                confirmed.amount,
                confirmed.currency,
            )
        return confirmed

    async def _verified_charge(self, reference: str) -> ChargeReport | None:
        try:
            found = await self._gateway.verify_transaction(reference)
        except NotFound:
            return None
        if not found.succeeded or found.reference != reference:
            return None
        return ChargeReport(
            reference=found.reference,
            transaction_id=found.id,
            amount=found.amount,
            currency=found.currency,
            paid_at=found.paid_at,
        )

    async def _check_with_provider(self, payment: Payment) -> int:
        charge = await self._verified_charge(payment.reference)
        if charge is None:
            return 0
        async with self._db.transaction() as tx:
            outcome = await self.apply_charge(tx, charge)
        return 1 if outcome == "held" else 0

    async def _settle(
        self, tx: Connection, payment: Payment, share_bps: int, fee_bps: int, reason: str, now: dt.datetime
    ) -> None:
        split = settlement_split(payment.received_amount or 0, share_bps, fee_bps)
        refund, expert, fee = split
        if not refund:
            target = PaymentStatus.RELEASED
        elif expert or fee:
            target = PaymentStatus.PARTIALLY_REFUNDED
        else:
            target = PaymentStatus.REFUNDED
        detail = {"refund": refund, "expert": expert, "fee": fee, "fee_bps": fee_bps, "share_bps": share_bps}
        await self._empty_escrow(tx, payment, target, split, fee_bps=fee_bps, reason=reason, now=now, detail=detail)

    async def _empty_escrow(
        self,
        tx: Connection,
        payment: Payment,
        target: PaymentStatus,
        split: tuple[int, int, int],
        *,
        fee_bps: int | None,
        reason: str,
        now: dt.datetime,
        detail: dict[str, Any],
    ) -> None:
        """Share out what was held as ``split`` (refund, expert, fee) in the ledger and on the payment,
        move the payment to ``target``, and queue the refund if there is one."""
        refund, expert, fee = split
        currency = payment.received_currency or payment.currency
        entry = settlement_entry(
            payment_id=payment.id,
            expert_id=payment.expert_id,
            held=payment.received_amount or 0,
            currency=currency,
            refund=refund,
            expert=expert,
            fee=fee,
        )
        await ledger.post_entry(tx, entry, now)
        await payments.record_settlement(
            tx, payment.id, refunded=refund, expert=expert, fee=fee, fee_bps=fee_bps, at=now
        )
        payment = await move_payment(tx, payment, target, now, reason=reason, detail=detail)
        if refund:
            await queue_refund(tx, payment, amount=refund, currency=currency, reason=reason, at=now)
