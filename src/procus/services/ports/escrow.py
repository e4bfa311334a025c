"""The contract between bookings and payments: money held in escrow for a booking.

Bookings decide *when* money moves (a cancellation refunds, a completed call releases); payments
decide *how* (Paystack, the ledger, refund and payout jobs). Methods that take ``tx`` act inside
the caller's transaction, so a booking's state change and the money movement it implies commit or
roll back together; anything that talks to Paystack happens before the transaction
(``prepare_checkout``) or afterwards in a job, never while a transaction is open.
"""

from __future__ import annotations

import uuid
from typing import Protocol

import msgspec

from procus.domain.bookings import Booking
from procus.domain.errors import Conflict
from procus.domain.money import Money
from procus.store.db import Connection

__all__ = ["Checkout", "Escrow", "EscrowState", "Payer", "require_paid"]


class Checkout(msgspec.Struct, frozen=True, kw_only=True):
    reference: str
    authorization_url: str


class EscrowState(msgspec.Struct, frozen=True, kw_only=True):
    """Where the booking's money is: ``held`` only once the payment is confirmed by the provider."""

    status: str  # pending | held | released | refunded | partially_refunded | cancelled | expired | failed
    amount: Money
    refunded_amount: int = 0

    @property
    def held(self) -> bool:
        return self.status == "held"


class Payer(msgspec.Struct, frozen=True, kw_only=True):
    """Who pays whom for a booking being made, and how much: what payments records of it."""

    booking_id: uuid.UUID
    client_id: uuid.UUID
    expert_id: uuid.UUID
    price: Money


class Escrow(Protocol):
    async def prepare_checkout(self, *, booking_id: uuid.UUID, payer_email: str, price: Money) -> Checkout:
        """Start a payment with the provider for ``price``; the reference is tied to the booking."""
        ...

    async def record_pending(self, tx: Connection, payer: Payer, checkout: Checkout) -> None:
        """Remember the pending payment in the same transaction that creates the booking."""
        ...

    async def state(self, tx: Connection, booking_id: uuid.UUID) -> EscrowState | None: ...

    async def refund(self, tx: Connection, booking: Booking, *, share_bps: int, reason: str) -> None:
        """``booking`` has just ended (its status is the new one): give back ``share_bps`` (basis points,
        10000 = all) of what was paid; the rest is released to the expert, less the platform fee
        snapshotted on the booking. If nothing was paid yet the pending payment is closed instead
        (``expired`` for an expired booking, else ``cancelled``)."""
        ...

    async def release(self, tx: Connection, booking: Booking) -> None:
        """The call happened: the expert earns the price less the platform fee snapshotted on the booking."""
        ...

    async def call_paid_expert(self, tx: Connection, booking: Booking) -> None:
        """A finished call earned the expert the price: released at once when there is no dispute window,
        otherwise held until the window closes (``DisputeService.release_due``)."""
        ...


async def require_paid(escrow: Escrow, conn: Connection, booking_id: uuid.UUID) -> None:
    """409 ``payment_pending`` unless the booking's money is held: what accepting a booking, taking a
    new time and joining its call all need first."""
    state = await escrow.state(conn, booking_id)
    if state is None or not state.held:
        raise Conflict("payment_pending", "The client's payment has not been received yet")
