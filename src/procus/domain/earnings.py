"""An expert's earnings per booking, read from the ledger: price, the platform's fee, and the expert's net.

The ledger is the source of truth. For each paid booking its payment's entries say how much is
still held in escrow, and how much a settlement gave the expert, the platform and back to the
client. While the money is held nothing is settled yet, so the fee and net shown are what the
booking's fee rate (fixed when it was booked) will give if the call completes: ``settled`` is false.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import msgspec

from procus.domain.bookings import BookingStatus
from procus.domain.money import split_fee

__all__ = ["EarningLine", "EarningStatus", "LedgerSums", "earning_line"]


class EarningStatus(enum.StrEnum):
    IN_ESCROW = "in_escrow"
    """Paid by the client and held until the call is over."""
    RELEASED = "released"
    """Settled: the net is in the expert's balance (part may have been refunded)."""
    REFUNDED = "refunded"
    """Settled with everything back to the client."""


class LedgerSums(msgspec.Struct, frozen=True, kw_only=True):
    """What one payment's ledger entries put on each account, in minor units."""

    held: int
    expert: int
    fee: int
    refunded: int


class EarningLine(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    booking_status: BookingStatus
    area_title: str
    client_name: str
    starts_at: dt.datetime
    currency: str
    price: int
    fee: int
    net: int
    refunded: int
    fee_bps: int
    status: EarningStatus
    settled: bool


def earning_line(
    *,
    booking_id: uuid.UUID,
    booking_status: BookingStatus,
    area_title: str,
    client_name: str,
    starts_at: dt.datetime,
    currency: str,
    price: int,
    fee_bps: int,
    sums: LedgerSums,
) -> EarningLine:
    if sums.held > 0:
        net, fee = split_fee(sums.held, fee_bps)
        status, refunded, settled = EarningStatus.IN_ESCROW, 0, False
    else:
        net, fee, refunded, settled = sums.expert, sums.fee, sums.refunded, True
        status = EarningStatus.RELEASED if net or fee else EarningStatus.REFUNDED
    return EarningLine(
        booking_id=booking_id,
        booking_status=booking_status,
        area_title=area_title,
        client_name=client_name,
        starts_at=starts_at,
        currency=currency,
        price=price,
        fee=fee,
        net=net,
        refunded=refunded,
        fee_bps=fee_bps,
        status=status,
        settled=settled,
    )
