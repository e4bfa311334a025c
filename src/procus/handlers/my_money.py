"""/v1/me/payments: a client's payments and receipts; /v1/me/earnings: an expert's monthly statement."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.domain.payment_states import PaymentStatus
from procus.domain.statements import CurrencyStatement, EarningsLine, EarningsStatement
from procus.handlers.booking_schemas import CheckoutOut, PartyOut
from procus.handlers.paging import PageCursor, page_out
from procus.services.payments import EscrowService
from procus.services.payments.client_money import MAX_HISTORY_PAGE, ClientMoneyService, EarningsService, PaymentRecord

__all__ = ["BookingCheckoutController", "MyEarningsController", "MyPaymentsController"]


class MyPaymentOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    reference: str
    booking_id: uuid.UUID
    expert: PartyOut
    area_title: str
    call_start: dt.datetime
    status: PaymentStatus
    amount: int
    currency: str
    refunded_amount: int
    paid_at: dt.datetime | None
    receipt_path: Annotated[
        str | None, msgspec.Meta(description="GET it (signed in) for the HTML receipt; null until the money arrived")
    ]
    created_at: dt.datetime

    @classmethod
    def of(cls, record: PaymentRecord) -> MyPaymentOut:
        payment, view = record.payment, record.view
        return cls(
            id=payment.id,
            reference=payment.reference,
            booking_id=payment.booking_id,
            expert=PartyOut.of(view.expert),
            area_title=view.area_title,
            call_start=view.booking.starts_at,
            status=payment.status,
            amount=payment.amount,
            currency=payment.currency,
            refunded_amount=payment.refunded_amount,
            paid_at=payment.paid_at,
            receipt_path=f"/v1/me/payments/{payment.id}/receipt" if payment.received else None,
            created_at=payment.created_at,
        )


class MyPaymentPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[MyPaymentOut]
    next_cursor: str | None


class EarningsLineOut(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    kind: str
    amount: int
    booking_id: uuid.UUID | None
    payout_id: uuid.UUID | None

    @classmethod
    def of(cls, line: EarningsLine) -> EarningsLineOut:
        return msgspec.convert(line, cls, from_attributes=True)


class CurrencyStatementOut(msgspec.Struct, frozen=True, kw_only=True):
    currency: str
    opening_balance: int
    earned: int
    taken_back: int
    paid_out: int
    platform_fees: int
    closing_balance: int
    lines: list[EarningsLineOut]

    @classmethod
    def of(cls, found: CurrencyStatement) -> CurrencyStatementOut:
        return cls(
            currency=found.currency,
            opening_balance=found.opening_balance,
            earned=found.earned,
            taken_back=found.taken_back,
            paid_out=found.paid_out,
            platform_fees=found.platform_fees,
            closing_balance=found.closing_balance,
            lines=[EarningsLineOut.of(line) for line in found.lines],
        )


class EarningsStatementOut(msgspec.Struct, frozen=True, kw_only=True):
    month: str
    start: dt.datetime
    end: dt.datetime
    currencies: Annotated[list[CurrencyStatementOut], msgspec.Meta(description="One per currency; never added up")]

    @classmethod
    def of(cls, found: EarningsStatement) -> EarningsStatementOut:
        return cls(
            month=found.month,
            start=found.start,
            end=found.end,
            currencies=[CurrencyStatementOut.of(c) for c in found.currencies],
        )


class MyPaymentsController(Controller):
    path = "/v1/me/payments"
    tags = ["payments"]

    @get(operation_id="listMyPayments")
    async def list_payments(
        self,
        client_money: ClientMoneyService,
        principal: Principal,
        limit: Annotated[int, Parameter(ge=1, le=MAX_HISTORY_PAGE)] = 20,
        cursor: PageCursor = None,
    ) -> MyPaymentPageOut:
        """What you paid for your bookings, newest first."""
        page = await client_money.history(principal, cursor, limit)
        return page_out(MyPaymentPageOut, page, MyPaymentOut.of)

    @get("/{payment_id:uuid}/receipt", operation_id="getPaymentReceipt", media_type="text/html")
    async def receipt(
        self, payment_id: uuid.UUID, client_money: ClientMoneyService, principal: Principal
    ) -> Response[bytes]:
        """The printable HTML receipt of a payment you made (your browser's "Save as PDF" makes a PDF)."""
        body = await client_money.receipt(principal, payment_id)
        return Response(body, media_type="text/html; charset=utf-8", headers={"Cache-Control": "private, no-store"})


class BookingCheckoutController(Controller):
    path = "/v1/bookings/{booking_id:uuid}/checkout"
    tags = ["payments"]

    @post(operation_id="checkoutAgain", status_code=200)
    async def checkout_again(self, booking_id: uuid.UUID, escrow: EscrowService, principal: Principal) -> CheckoutOut:
        """Pay for a requested booking again while its slot is held: the same checkout while it can still be
        paid, a new one after a declined attempt."""
        checkout = await escrow.checkout_again(principal, booking_id)
        return CheckoutOut(reference=checkout.reference, authorization_url=checkout.authorization_url)


class MyEarningsController(Controller):
    path = "/v1/me/earnings"
    tags = ["payouts"]

    @get("/{month:str}", operation_id="getEarningsStatement")
    async def statement(
        self,
        earnings: EarningsService,
        expert: Principal,
        month: Annotated[str, Parameter(max_length=7, description="YYYY-MM (a UTC month)")],
    ) -> EarningsStatementOut:
        """Your statement for a month: opening balance, calls paid, refunds taken back, payouts, closing balance."""
        return EarningsStatementOut.of(await earnings.statement(expert, month))
