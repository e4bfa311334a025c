"""How much of the price goes back to the client when a booking ends without a call.

The default follows the design: any cancellation before the call refunds the client in full. A
platform may set a late-cancellation window (say under 24 hours before the start) inside which a client
who cancels a *confirmed* booking gets only ``late_share_bps`` back; the rest is released to the
expert, whose time was reserved. Experts, admins and the system (expiry) always refund in full,
and so does a client withdrawing a request the expert has not confirmed yet.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from procus.domain.bookings import ActorRole
from procus.domain.errors import InvalidInput

__all__ = ["FULL_REFUND_BPS", "RefundPolicy", "refund_amount", "refund_share_bps"]

FULL_REFUND_BPS = 10_000


class RefundPolicy(msgspec.Struct, frozen=True, kw_only=True):
    late_window: dt.timedelta = dt.timedelta(0)
    late_share_bps: int = FULL_REFUND_BPS

    def __post_init__(self) -> None:
        if self.late_window < dt.timedelta(0):
            raise InvalidInput("invalid_refund_policy", "the late-cancellation window cannot be negative")
        if not 0 <= self.late_share_bps <= FULL_REFUND_BPS:
            raise InvalidInput("invalid_refund_policy", "the late refund share must be within 0..10000 bps")


def refund_share_bps(
    actor: ActorRole, start: dt.datetime, now: dt.datetime, policy: RefundPolicy, *, confirmed: bool = True
) -> int:
    """The share of the price refunded (basis points, 10000 = all) if ``actor`` cancels at ``now``."""
    if actor is not ActorRole.CLIENT or not confirmed:
        return FULL_REFUND_BPS
    if start - now >= policy.late_window:
        return FULL_REFUND_BPS
    return policy.late_share_bps


def refund_amount(amount: int, share_bps: int) -> int:
    """The part of ``amount`` (minor units) a refund of ``share_bps`` gives back, rounded down."""
    if not 0 <= share_bps <= FULL_REFUND_BPS:
        raise InvalidInput("invalid_refund_share", "the refund share is within 0..10000 basis points")
    return amount * share_bps // FULL_REFUND_BPS
