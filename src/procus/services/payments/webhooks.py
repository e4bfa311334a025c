"""Paystack webhooks: verified over the raw body, deduplicated, applied in one transaction.

The signature is checked before the body is even parsed; a bad or missing one changes nothing.
Deliveries are known by (event, ``data.reference`` or ``data.id``): the delivery's row is inserted
in the same transaction that applies it, so a redelivery of a processed event is a no-op and a
delivery whose processing failed (rolled back) is processed when Paystack retries it. Events in an
unexpected order are handled by the state machines: a stale or repeated status changes nothing.
A ``charge.success`` holds money only as Paystack's verify endpoint confirms it, asked before the
transaction opens; while Paystack cannot be asked the delivery answers 503 and is retried.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from procus.domain.errors import AuthenticationFailed, InvalidInput
from procus.domain.payments import ChargeReport
from procus.domain.paystack_events import (
    MalformedEvent,
    WebhookEnvelope,
    charge_report,
    decode_envelope,
    delivery_key,
    refund_report,
    transfer_report,
)
from procus.services.payments.escrow import EscrowService
from procus.services.payments.payouts import PayoutService
from procus.services.payments.refunds import RefundService
from procus.services.ports.clock import Clock
from procus.services.ports.payment_gateway import PaymentGateway
from procus.store import webhook_events
from procus.store.db import Connection, Database

__all__ = ["PaystackWebhooks"]

log = logging.getLogger(__name__)

PROVIDER = "paystack"
_CHARGE_SUCCESS = "charge.success"
_REFUND_EVENTS = frozenset({"refund.pending", "refund.processing", "refund.processed", "refund.failed"})
_TRANSFER_EVENTS = frozenset({"transfer.success", "transfer.failed", "transfer.reversed"})


class PaystackWebhooks:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        gateway: PaymentGateway,
        escrow: EscrowService,
        refunds: RefundService,
        payouts: PayoutService,
    ) -> None:
        self._db = db
        self._clock = clock
        self._gateway = gateway
        self._escrow = escrow
        self._refunds = refunds
        self._payouts = payouts

    async def receive(self, raw_body: bytes, signature: str | None) -> str:
        """Apply one delivery; returns its outcome (``held``, ``duplicate``, ``ignored`` ...)."""
        if not self._gateway.verify_webhook_signature(raw_body, signature):
            raise AuthenticationFailed("invalid_signature", "The webhook signature is missing or wrong")
        try:
            envelope = decode_envelope(raw_body)
        except MalformedEvent as exc:
            raise InvalidInput("malformed_webhook", str(exc)) from None
        key = delivery_key(envelope)
        if key is None:
            log.warning("paystack %s webhook without a reference or id: ignored", envelope.event)
            return "ignored"
        confirmed: ChargeReport | None = None
        if envelope.event == _CHARGE_SUCCESS:
            async with self._db.connection() as conn:
                if await webhook_events.already_recorded(conn, provider=PROVIDER, event=envelope.event, key=key):
                    return "duplicate"
            confirmed = await self._escrow.confirmed_charge(_readable(charge_report, envelope))
            if confirmed is None:
                return "unconfirmed"  # not recorded: a later delivery Paystack does confirm still counts
        async with self._db.transaction() as tx:
            first = await webhook_events.record_webhook_event(
                tx,
                provider=PROVIDER,
                event=envelope.event,
                key=key,
                outcome="received",
                payload=envelope.data,
                at=self._clock.now(),
            )
            if not first:
                return "duplicate"
            outcome = await self._apply(tx, envelope, confirmed)
            await webhook_events.set_webhook_outcome(
                tx, provider=PROVIDER, event=envelope.event, key=key, outcome=outcome
            )
        log.info("paystack %s %s: %s", envelope.event, key, outcome)
        return outcome

    async def _apply(self, tx: Connection, envelope: WebhookEnvelope, confirmed: ChargeReport | None) -> str:
        if confirmed is not None:
            return await self._escrow.apply_charge(tx, confirmed)
        handler = self._handler(envelope.event)
        if handler is None:
            return "ignored"
        try:
            return await handler(tx, envelope)
        except MalformedEvent as exc:  # like a malformed envelope: refused, and nothing recorded
            log.error("paystack %s webhook we cannot read: %s", envelope.event, exc)
            raise InvalidInput("malformed_webhook", str(exc)) from None

    def _handler(self, event: str) -> Callable[[Connection, WebhookEnvelope], Awaitable[str]] | None:
        if event in _REFUND_EVENTS:
            return self._refund
        if event in _TRANSFER_EVENTS:
            return self._transfer
        return None

    async def _refund(self, tx: Connection, envelope: WebhookEnvelope) -> str:
        report = msgspec.structs.replace(refund_report(envelope.data), status=_outcome(envelope.event))
        return await self._refunds.apply_report(tx, report)

    async def _transfer(self, tx: Connection, envelope: WebhookEnvelope) -> str:
        report = msgspec.structs.replace(transfer_report(envelope.data), status=_outcome(envelope.event))
        return await self._payouts.apply_report(tx, report)


def _outcome(event: str) -> str:
    """The status an event announces (``refund.processed`` -> ``processed``): the event name is authoritative."""
    return event.partition(".")[2]


def _readable(read: Callable[[dict[str, Any]], ChargeReport], envelope: WebhookEnvelope) -> ChargeReport:
    try:
        return read(envelope.data)
    except MalformedEvent as exc:
        log.error("paystack %s webhook we cannot read: %s", envelope.event, exc)
        raise InvalidInput("malformed_webhook", str(exc)) from None
