"""The booking lifecycle: request, answer, reschedule, cancel, expire; and reading it all.

Each use case is a small class in the module named after it; :class:`BookingService` composes them
over one :class:`~procus.services.bookings.core.BookingContext`. Every status change goes through
:func:`~procus.services.bookings.status.move_booking`.
"""

from __future__ import annotations

from procus.services.bookings.answers import BookingAnswers
from procus.services.bookings.cancellations import BookingCancellations
from procus.services.bookings.closing import BookingClosing
from procus.services.bookings.core import BookingContext, BookingDetails, BookingPolicy
from procus.services.bookings.expiry import BookingExpiry
from procus.services.bookings.reads import BookingList, BookingPage, BookingReads, Invite
from procus.services.bookings.requests import BookingCreated, BookingRequest, BookingRequests
from procus.services.bookings.reschedule import BookingReschedules
from procus.services.idempotency import IdempotencyService
from procus.services.notices.bookings import BookingLinks, BookingNotices
from procus.services.ports.clock import Clock
from procus.services.ports.escrow import Escrow
from procus.store.db import Database

__all__ = [
    "BookingAnswers",
    "BookingCancellations",
    "BookingCreated",
    "BookingDetails",
    "BookingExpiry",
    "BookingList",
    "BookingPage",
    "BookingPolicy",
    "BookingReads",
    "BookingRequest",
    "BookingRequests",
    "BookingReschedules",
    "BookingService",
    "Invite",
]


class BookingService:
    """Every booking use case, each an attribute named after its business word."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        escrow: Escrow,
        idempotency: IdempotencyService,
        notices: BookingNotices,
        links: BookingLinks,
        policy: BookingPolicy,
    ) -> None:
        context = BookingContext(db, clock, escrow, idempotency, notices, links, policy)
        closing = BookingClosing(context)
        self.policy = policy
        self.requests = BookingRequests(context)
        self.answers = BookingAnswers(context, closing)
        self.cancellations = BookingCancellations(closing)
        self.reschedules = BookingReschedules(context, closing)
        self.expiry = BookingExpiry(context, closing)
        self.reads = BookingReads(context)
