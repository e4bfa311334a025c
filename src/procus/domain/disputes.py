"""Disputes, and when a finished call's money is released.

A call that paid the expert (completed, or the client did not come) keeps its money in escrow until
its dispute window closes (:func:`release_due_at`: the scheduled end plus the window), or earlier
when the client confirms the call went well. Within the window the client may open a dispute,
which freezes the release until an admin resolves it: release, a partial refund or a full refund.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import msgspec

from procus.domain.errors import InvalidInput

__all__ = [
    "MAX_DISPUTE_TEXT",
    "Dispute",
    "DisputeReason",
    "DisputeStatus",
    "Resolution",
    "ended_early",
    "release_due_at",
    "resolution_refund_bps",
]

MAX_DISPUTE_TEXT = 2000


class DisputeReason(enum.StrEnum):
    EXPERT_ABSENT = "expert_absent"
    ENDED_EARLY = "ended_early"
    COULD_NOT_HEAR_OR_SEE = "could_not_hear_or_see"
    OTHER = "other"


class DisputeStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Resolution(enum.StrEnum):
    RELEASE = "release"
    PARTIAL_REFUND = "partial_refund"
    FULL_REFUND = "full_refund"


class Dispute(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    booking_id: uuid.UUID
    client_id: uuid.UUID
    expert_id: uuid.UUID
    reason: DisputeReason
    description: str
    status: DisputeStatus
    resolution: Resolution | None
    refund_bps: int | None
    resolution_reason: str | None
    resolved_by: uuid.UUID | None
    resolved_at: dt.datetime | None
    created_at: dt.datetime


def release_due_at(scheduled_end: dt.datetime, window: dt.timedelta) -> dt.datetime:
    return scheduled_end + window


def ended_early(starts_at: dt.datetime, duration_minutes: int, ended_at: dt.datetime | None) -> bool:
    """Whether the call was ended before half its scheduled duration had passed."""
    return ended_at is not None and ended_at < starts_at + dt.timedelta(minutes=duration_minutes) / 2


def resolution_refund_bps(resolution: Resolution, refund_bps: int | None) -> int:
    """The share of the price an admin's resolution refunds (10000 = all)."""
    if resolution is Resolution.RELEASE:
        return 0
    if resolution is Resolution.FULL_REFUND:
        return 10_000
    if refund_bps is None or not 0 < refund_bps < 10_000:
        raise InvalidInput(
            "invalid_refund_share", "a partial refund needs refund_bps between 1 and 9999", field="refund_bps"
        )
    return refund_bps
