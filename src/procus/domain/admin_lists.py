"""What admins filter lists by. Every list pages newest first with a :class:`TimeCursor`."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Role
from procus.domain.bookings import BookingStatus
from procus.domain.cursors import TimeCursor, check_limit

__all__ = ["MAX_ADMIN_PAGE", "AdminPaged", "BookingSearch", "MoneySearch", "UserSearch"]

MAX_ADMIN_PAGE = 200


class AdminPaged(msgspec.Struct, frozen=True, kw_only=True):
    """Where an admin list continues and how many rows it answers with."""

    after: TimeCursor | None = None
    limit: int = 50

    def __post_init__(self) -> None:
        check_limit(self.limit, MAX_ADMIN_PAGE)


class UserSearch(AdminPaged, frozen=True, kw_only=True):
    text: str | None = None
    """Part of the email or the name, any case."""
    role: Role | None = None
    active: bool | None = None
    created_from: dt.datetime | None = None
    created_to: dt.datetime | None = None


class BookingSearch(AdminPaged, frozen=True, kw_only=True):
    """Ordered by the call's start, latest first; ``starts_*`` bound it (from inclusive, to exclusive)."""

    statuses: tuple[BookingStatus, ...] = ()
    expert_id: uuid.UUID | None = None
    client_id: uuid.UUID | None = None
    participant_id: uuid.UUID | None = None
    """Either side: the booking's client or its expert."""
    starts_from: dt.datetime | None = None
    starts_to: dt.datetime | None = None


class MoneySearch(AdminPaged, frozen=True, kw_only=True):
    """Payments, refunds or payouts by creation time, latest first; ``statuses`` are that table's own."""

    statuses: tuple[str, ...] = ()
    user_id: uuid.UUID | None = None
    """The payment's client or expert (for payouts: the expert)."""
    currency: str | None = None
    created_from: dt.datetime | None = None
    created_to: dt.datetime | None = None
