"""Payment-provider webhooks: verified over the raw body, deduplicated, applied in one transaction.

The gateway's adapter checks the signature before the body is even parsed (a bad or missing one
changes nothing) and reads the delivery into our reports (``integrations/paystack/webhooks.py``).
Deliveries are known by (event, key): the delivery's row is inserted
in the same transaction that applies it, so a redelivery of a processed event is a no-op and a
delivery whose processing failed (rolled back) is processed when Paystack retries it. Events in an
unexpected order are handled by the state machines: a stale or repeated status changes nothing.

A ``charge.success`` holds money only as Paystack's verify endpoint confirms it, asked before the
transaction opens; while Paystack cannot be asked the delivery answers 503 and is retried. A delivery
we act on but cannot read is refused (422) like a malformed body, and nothing is recorded.
"""

from __future__ import annotations

import logging

from procus.domain.errors import InvalidInput
from procus.domain.gateway import RefundReport, TransferReport
from procus.domain.payments import ChargeReport
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
        envelope = self._gateway.read_webhook(raw_body, signature)
        key = envelope.key
        if key is None:
            log.warning("paystack %s webhook without a reference or id: ignored", envelope.event)
            return "ignored"
        if envelope.unreadable is not None:
            log.error("paystack %s webhook we cannot read: %s", envelope.event, envelope.unreadable)
            raise InvalidInput("malformed_webhook", envelope.unreadable)
        confirmed: ChargeReport | None = None
        if isinstance(envelope.report, ChargeReport):
            async with self._db.connection() as conn:
                if await webhook_events.already_recorded(conn, provider=PROVIDER, event=envelope.event, key=key):
                    return "duplicate"
            confirmed = await self._escrow.confirmed_charge(envelope.report)
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
            outcome = await self._apply(tx, envelope.report if confirmed is None else confirmed)
            await webhook_events.set_webhook_outcome(
                tx, provider=PROVIDER, event=envelope.event, key=key, outcome=outcome
            )
        log.info("paystack %s %s: %s", envelope.event, key, outcome)
        return outcome

    async def _apply(self, tx: Connection, report: ChargeReport | RefundReport | TransferReport | None) -> str:
        if isinstance(report, ChargeReport):
            return await self._escrow.apply_charge(tx, report)
        if isinstance(report, RefundReport):
            return await self._refunds.apply_report(tx, report)
        if isinstance(report, TransferReport):
            return await self._payouts.apply_report(tx, report)
        return "ignored"
