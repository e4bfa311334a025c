"""People's own money: a client's payments with a receipt for each, an expert's monthly earnings statement."""

from __future__ import annotations

import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.bookings import BookingView
from procus.domain.cursors import Page, TimeCursor, check_limit, paginate
from procus.domain.errors import Conflict, NotFound
from procus.domain.payments import Payment
from procus.domain.statements import EarningsStatement, month_bounds
from procus.services.payments.receipts import render_receipt
from procus.store import bookings as booking_store
from procus.store import payments, statements
from procus.store.db import Database

__all__ = ["MAX_HISTORY_PAGE", "ClientMoneyService", "EarningsService", "PaymentRecord"]

MAX_HISTORY_PAGE = 100


class PaymentRecord(msgspec.Struct, frozen=True, kw_only=True):
    payment: Payment
    view: BookingView


class ClientMoneyService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def history(self, principal: Principal, cursor: str | None, limit: int = 20) -> Page[PaymentRecord]:
        check_limit(limit, MAX_HISTORY_PAGE)
        after = TimeCursor.decode_optional(cursor)
        async with self._db.connection() as conn:
            found = await payments.payments_of_payer(conn, principal.user_id, after, limit + 1)
            views = await booking_store.get_views(conn, [p.booking_id for p in found])
        page, next_cursor = paginate(found, limit, lambda p: (p.created_at, p.id))
        records = [PaymentRecord(payment=p, view=views[p.booking_id]) for p in page]
        return Page(items=records, next_cursor=next_cursor)

    async def receipt(self, principal: Principal, payment_id: uuid.UUID) -> bytes:
        """The HTML receipt of one of the principal's payments, once the money was received."""
        async with self._db.connection() as conn:
            payment = await payments.get_payment(conn, payment_id)
            if payment.client_id != principal.user_id:
                raise NotFound.no_such("payment")
            if not payment.received:
                raise Conflict("payment_not_received", "A receipt exists once the payment has been received")
            view = await booking_store.get_view(conn, payment.booking_id)
        return render_receipt(payment, view, principal.time_zone)


class EarningsService:
    """An expert's monthly earnings statement (see :mod:`procus.domain.statements`)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def statement(self, expert: Principal, month: str) -> EarningsStatement:
        expert.require_role(Role.EXPERT)
        start, end = month_bounds(month)
        async with self._db.transaction(isolation="repeatable_read") as tx:
            currencies = await statements.currency_statements(tx, expert.user_id, start, end)
        return EarningsStatement(month=month, start=start, end=end, currencies=currencies)
