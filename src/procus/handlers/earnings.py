"""/v1/earnings: the expert's paid bookings with price, platform fee and net, as pages or a CSV file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, Response, get
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.domain.bookings import BookingStatus
from procus.domain.earnings import EarningLine, EarningStatus
from procus.handlers.paging import PageCursor, page_out
from procus.services.payments.earning_lines import MAX_PAGE_SIZE, EarningLinesService, EarningsPage

__all__ = ["EarningsController"]

_CSV_COLUMNS = (
    "booking_id",
    "call_start_utc",
    "area",
    "client",
    "booking_status",
    "earning_status",
    "currency",
    "price_minor_units",
    "fee_minor_units",
    "net_minor_units",
    "refunded_minor_units",
    "fee_bps",
    "settled",
)


class EarningOut(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    booking_status: BookingStatus
    area_title: str
    client_name: str
    starts_at: dt.datetime
    currency: str
    price: Annotated[int, msgspec.Meta(description="What the client paid, in minor units")]
    fee: Annotated[int, msgspec.Meta(description="The platform's fee, in minor units")]
    net: Annotated[int, msgspec.Meta(description="The expert's share, in minor units")]
    refunded: Annotated[int, msgspec.Meta(description="Given back to the client, in minor units")]
    fee_bps: int
    status: EarningStatus
    settled: Annotated[
        bool, msgspec.Meta(description="False while in escrow: fee and net are what completion will give")
    ]

    @classmethod
    def of(cls, line: EarningLine) -> EarningOut:
        return msgspec.convert(line, cls, from_attributes=True)


class EarningsPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[EarningOut]
    next_cursor: str | None

    @classmethod
    def of(cls, page: EarningsPage) -> EarningsPageOut:
        return page_out(cls, page, EarningOut.of)


def _csv(lines: list[EarningLine]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(_CSV_COLUMNS)
    for line in lines:
        writer.writerow(
            (
                line.booking_id,
                line.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                line.area_title,
                line.client_name,
                line.booking_status.value,
                line.status.value,
                line.currency,
                line.price,
                line.fee,
                line.net,
                line.refunded,
                line.fee_bps,
                "true" if line.settled else "false",
            )
        )
    return out.getvalue().encode()


class EarningsController(Controller):
    path = "/v1/earnings"
    tags = ["payouts"]

    @get(operation_id="listEarnings")
    async def list_earnings(
        self,
        earning_lines: EarningLinesService,
        expert: Principal,
        limit: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
        cursor: PageCursor = None,
    ) -> EarningsPageOut:
        """Paid bookings, latest call first. Balances are ``getPayoutBalance``."""
        return EarningsPageOut.of(await earning_lines.page(expert, limit=limit, cursor=cursor))

    @get("/export.csv", operation_id="exportEarnings", media_type="text/csv")
    async def export(self, earning_lines: EarningLinesService, expert: Principal) -> Response[bytes]:
        """Every paid booking as CSV (UTF-8, amounts in minor units)."""
        return Response(
            _csv(await earning_lines.export(expert)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="procus-earnings.csv"'},
        )
