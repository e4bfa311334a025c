"""Fakes of our own Protocols (never of our own code), type-checked against them."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.domain.accounts import ExternalIdentity
from procus.domain.bookings import Booking
from procus.domain.cancellation import refund_amount
from procus.domain.errors import AuthenticationFailed, DomainError
from procus.domain.mail import EmailMessage
from procus.domain.money import Money
from procus.services.ports.clock import Clock
from procus.services.ports.escrow import Checkout, Escrow, EscrowState, Payer
from procus.services.ports.identity import GoogleIdentity
from procus.services.ports.mail import MailSender
from procus.store.db import Connection

__all__ = ["FakeClock", "FakeEscrow", "FakeGoogleIdentity", "RecordingMailSender"]


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.current = start or dt.datetime.now(dt.UTC).replace(microsecond=0)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> dt.datetime:
        self.current += dt.timedelta(**delta)
        return self.current


class FakeGoogleIdentity:
    def __init__(self) -> None:
        self.tokens: dict[str, ExternalIdentity] = {}

    async def identify(self, access_token: str) -> ExternalIdentity:
        try:
            return self.tokens[access_token]
        except KeyError:
            raise AuthenticationFailed("google_token_invalid", "unknown token") from None


class RecordingMailSender:
    """Keeps what it is asked to send; ``failures`` are raised first, one per send, in order."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []
        self.failures: list[Exception] = []

    async def send(self, message: EmailMessage) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)


_clock: Clock = FakeClock()
_google: GoogleIdentity = FakeGoogleIdentity()
_mail: MailSender = RecordingMailSender()


class FakeEscrow:
    """Payments as bookings see them: every call is remembered; a payment is held once ``pay`` is
    called for it (at once with ``auto_pay``). ``checkout_error`` makes starting a payment fail,
    ``refund_errors`` a refund for the booking it names."""

    def __init__(self, *, auto_pay: bool = True) -> None:
        self.auto_pay = auto_pay
        self.checkout_error: DomainError | None = None
        self.refund_errors: dict[uuid.UUID, DomainError] = {}
        self.prices: dict[uuid.UUID, Money] = {}
        self.paid: set[uuid.UUID] = set()
        self.refunds: list[tuple[uuid.UUID, int, str]] = []
        self.releases: list[uuid.UUID] = []

    async def prepare_checkout(self, *, booking_id: uuid.UUID, payer_email: str, price: Money) -> Checkout:
        if self.checkout_error is not None:
            raise self.checkout_error
        reference = f"fake-{booking_id.hex}"
        return Checkout(reference=reference, authorization_url=f"http://127.0.0.1:9/pay/{reference}")

    async def record_pending(self, tx: Connection, payer: Payer, checkout: Checkout) -> None:
        self.prices[payer.booking_id] = payer.price
        if self.auto_pay:
            self.paid.add(payer.booking_id)

    def pay(self, booking_id: uuid.UUID) -> None:
        self.paid.add(booking_id)

    async def state(self, tx: Connection, booking_id: uuid.UUID) -> EscrowState | None:
        price = self.prices.get(booking_id)
        if price is None:
            return None
        shares = [share for (refunded, share, _) in self.refunds if refunded == booking_id]
        refunded = sum(refund_amount(price.amount, share) for share in shares)
        if shares:
            status = "refunded" if refunded >= price.amount else "partially_refunded" if refunded else "released"
        elif booking_id in self.releases:
            status = "released"
        else:
            status = "held" if booking_id in self.paid else "pending"
        return EscrowState(status=status, amount=price, refunded_amount=refunded)

    async def refund(self, tx: Connection, booking: Booking, *, share_bps: int, reason: str) -> None:
        if booking.id in self.refund_errors:
            raise self.refund_errors[booking.id]
        self.refunds.append((booking.id, share_bps, reason))

    async def release(self, tx: Connection, booking: Booking) -> None:
        self.releases.append(booking.id)

    async def call_paid_expert(self, tx: Connection, booking: Booking) -> None:
        await self.release(tx, booking)


_escrow: Escrow = FakeEscrow()
