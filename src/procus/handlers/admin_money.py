"""/v1/admin/payments, /refunds (list), /payouts, /ledger, /revenue and /stats: the platform's money."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.di import Provide
from litestar.params import Parameter

from procus.domain.admin_audit import AdminActor
from procus.domain.admin_lists import MoneySearch
from procus.domain.cursors import TimeCursor
from procus.domain.limits import MAX_REASON_LENGTH
from procus.domain.payment_states import PaymentStatus, RefundStatus
from procus.domain.payout_states import PayoutStatus
from procus.domain.payouts import Payout
from procus.domain.reports import CurrencyAmount, Period, PlatformStats, RevenueLine
from procus.handlers.admin_schemas import AdminLimit, AdminPaymentOut, RequiredReason, WindowEnd, WindowStart
from procus.handlers.paging import PageCursor, page_out
from procus.handlers.payment_schemas import RefundOut
from procus.services.admin.money import AdminMoneyService
from procus.services.admin.reports import AdminReportService

__all__ = ["AdminMoneyController", "AdminReportsController"]

Currency = Annotated[str | None, Parameter(min_length=3, max_length=3)]


class AdminPaymentPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AdminPaymentOut]
    next_cursor: str | None


class AdminRefundPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[RefundOut]
    next_cursor: str | None


class AdminPayoutOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    expert_id: uuid.UUID
    amount: int
    currency: str
    status: PayoutStatus
    failure_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, payout: Payout) -> AdminPayoutOut:
        return msgspec.convert(payout, cls, from_attributes=True)


class AdminPayoutPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AdminPayoutOut]
    next_cursor: str | None


class CompletedRefund(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_LENGTH)]
    amount: (
        Annotated[int, msgspec.Meta(gt=0, description="Minor units; omit for all that is still refundable")] | None
    ) = None


class LedgerCheckOut(msgspec.Struct, frozen=True, kw_only=True):
    balanced: bool
    discrepancies: list[str]


class RevenueLineOut(msgspec.Struct, frozen=True, kw_only=True):
    period_start: dt.datetime
    currency: str
    amount: int

    @classmethod
    def of(cls, line: RevenueLine) -> RevenueLineOut:
        return cls(period_start=line.period_start, currency=line.currency, amount=line.amount)


class CurrencyAmountOut(msgspec.Struct, frozen=True, kw_only=True):
    currency: str
    amount: int
    count: int


class StatsOut(msgspec.Struct, frozen=True, kw_only=True):
    window_start: dt.datetime = msgspec.field(name="from")
    window_end: dt.datetime = msgspec.field(name="to")
    users_by_role: Annotated[dict[str, int], msgspec.Meta(description="Accounts existing at `to`")]
    new_users_by_role: Annotated[dict[str, int], msgspec.Meta(description="Sign-ups in the range")]
    bookings_by_status: Annotated[dict[str, int], msgspec.Meta(description="Bookings requested in the range")]
    gross_volume: Annotated[list[CurrencyAmountOut], msgspec.Meta(description="Payments received, per currency")]
    fees: Annotated[list[CurrencyAmountOut], msgspec.Meta(description="Platform fees booked, per currency")]
    refunds: Annotated[list[CurrencyAmountOut], msgspec.Meta(description="Refunds completed, per currency")]
    payouts: Annotated[list[CurrencyAmountOut], msgspec.Meta(description="Payouts paid, per currency")]
    calls_finished: int
    no_shows: int
    no_show_rate: float | None
    average_rating: float | None
    ratings: int

    @classmethod
    def of(cls, stats: PlatformStats) -> StatsOut:
        def amounts(found: list[CurrencyAmount]) -> list[CurrencyAmountOut]:
            return [CurrencyAmountOut(currency=a.currency, amount=a.amount, count=a.count) for a in found]

        return cls(
            window_start=stats.start,
            window_end=stats.end,
            users_by_role=stats.users_by_role,
            new_users_by_role=stats.new_users_by_role,
            bookings_by_status=stats.bookings_by_status,
            gross_volume=amounts(stats.gross_volume),
            fees=amounts(stats.fees),
            refunds=amounts(stats.refunds),
            payouts=amounts(stats.payouts),
            calls_finished=stats.calls_finished,
            no_shows=stats.no_shows,
            no_show_rate=stats.no_show_rate,
            average_rating=stats.average_rating,
            ratings=stats.ratings,
        )


async def provide_money_filter(
    user_id: Annotated[
        uuid.UUID | None, Parameter(description="The payment's client or expert; a payout's expert")
    ] = None,
    currency: Currency = None,
    created_from: WindowStart = None,
    created_to: WindowEnd = None,
    limit: AdminLimit = 50,
    cursor: PageCursor = None,
) -> MoneySearch:
    """The filters the payments, refunds and payouts lists share (each adds its own ``status``); ``from`` and
    ``to`` bound the creation time."""
    return MoneySearch(
        user_id=user_id,
        currency=currency.upper() if currency else None,
        created_from=created_from,
        created_to=created_to,
        after=TimeCursor.decode_optional(cursor),
        limit=limit,
    )


def _with_statuses(
    search: MoneySearch, statuses: list[PaymentStatus] | list[RefundStatus] | list[PayoutStatus] | None
) -> MoneySearch:
    return msgspec.structs.replace(search, statuses=tuple(s.value for s in statuses or ()))


class AdminMoneyController(Controller):
    path = "/v1/admin"
    tags = ["admin"]
    dependencies = {"money_filter": Provide(provide_money_filter)}

    @get("/payments", operation_id="listPaymentsForAdmin")
    async def payments(
        self,
        admin_money: AdminMoneyService,
        admin_actor: AdminActor,
        money_filter: MoneySearch,
        status: list[PaymentStatus] | None = None,
    ) -> AdminPaymentPageOut:
        page = await admin_money.payments(admin_actor, _with_statuses(money_filter, status))
        return page_out(AdminPaymentPageOut, page, AdminPaymentOut.of)

    @post("/bookings/{booking_id:uuid}/refund", operation_id="refundCompletedBooking", status_code=200)
    async def refund_completed(
        self, booking_id: uuid.UUID, data: CompletedRefund, admin_money: AdminMoneyService, admin_actor: AdminActor
    ) -> AdminPaymentOut:
        """Refund a completed booking after its money was released, in full or in part; the expert's balance
        and the platform fee give it back, or 409 `already_paid_out` when the expert was already paid."""
        payment = await admin_money.refund_completed_booking(admin_actor, booking_id, data.amount, data.reason)
        return AdminPaymentOut.of(payment)

    @get("/refunds/all", operation_id="listRefundsForAdmin")
    async def refunds(
        self,
        admin_money: AdminMoneyService,
        admin_actor: AdminActor,
        money_filter: MoneySearch,
        status: list[RefundStatus] | None = None,
    ) -> AdminRefundPageOut:
        """Every refund, newest first (``/v1/admin/refunds`` lists only those needing attention)."""
        page = await admin_money.refunds(admin_actor, _with_statuses(money_filter, status))
        return page_out(AdminRefundPageOut, page, RefundOut.of)

    @get("/payouts", operation_id="listPayoutsForAdmin")
    async def payouts(
        self,
        admin_money: AdminMoneyService,
        admin_actor: AdminActor,
        money_filter: MoneySearch,
        status: list[PayoutStatus] | None = None,
    ) -> AdminPayoutPageOut:
        page = await admin_money.payouts(admin_actor, _with_statuses(money_filter, status))
        return page_out(AdminPayoutPageOut, page, AdminPayoutOut.of)

    @post("/payouts/{payout_id:uuid}/hold", operation_id="holdPayout", status_code=200)
    async def hold(
        self, payout_id: uuid.UUID, data: RequiredReason, admin_money: AdminMoneyService, admin_actor: AdminActor
    ) -> AdminPayoutOut:
        """Stop a pending payout before it is sent to the bank."""
        return AdminPayoutOut.of(await admin_money.hold_payout(admin_actor, payout_id, data.reason))

    @post("/payouts/{payout_id:uuid}/release", operation_id="releasePayout", status_code=200)
    async def release(
        self, payout_id: uuid.UUID, data: RequiredReason, admin_money: AdminMoneyService, admin_actor: AdminActor
    ) -> AdminPayoutOut:
        """Let a held payout go: it is sent to the bank."""
        return AdminPayoutOut.of(await admin_money.release_payout(admin_actor, payout_id, data.reason))

    @get("/ledger/verification", operation_id="verifyLedger")
    async def verify_ledger(self, admin_money: AdminMoneyService, admin_actor: AdminActor) -> LedgerCheckOut:
        """Run the ledger verification now (every entry balances, the books agree with every record)."""
        found = await admin_money.verify_ledger(admin_actor)
        return LedgerCheckOut(balanced=not found, discrepancies=found)


class AdminReportsController(Controller):
    path = "/v1/admin"
    tags = ["admin"]

    @get("/revenue", operation_id="getPlatformRevenue")
    async def revenue(
        self,
        admin_reports: AdminReportService,
        admin_actor: AdminActor,
        start: Annotated[dt.datetime, Parameter(query="from", description="Inclusive, RFC 3339")],
        end: Annotated[dt.datetime, Parameter(query="to", description="Exclusive, RFC 3339")],
        period: Period = Period.DAY,
    ) -> list[RevenueLineOut]:
        """Platform fees per day, week or month and currency (currencies are never added together)."""
        return [RevenueLineOut.of(line) for line in await admin_reports.revenue(admin_actor, period, start, end)]

    @get("/stats", operation_id="getPlatformStats")
    async def stats(
        self,
        admin_reports: AdminReportService,
        admin_actor: AdminActor,
        start: Annotated[dt.datetime, Parameter(query="from", description="Inclusive, RFC 3339")],
        end: Annotated[dt.datetime, Parameter(query="to", description="Exclusive, RFC 3339")],
    ) -> StatsOut:
        """Users, sign-ups, bookings, money (per currency), no-show rate and average rating over the range."""
        return StatsOut.of(await admin_reports.stats(admin_actor, start, end))
