"""The booking lifecycle: request, accept or decline, reschedule, cancel, expire; and reading it all."""

from __future__ import annotations

from procus.services.bookings.core import BookingDetails, BookingPolicy
from procus.services.bookings.reads import BookingList, BookingPage, BookingReads, Invite
from procus.services.bookings.requests import BookingCreated, BookingRequest, BookingRequests
from procus.services.bookings.reschedule import BookingReschedules
from procus.services.bookings.transitions import BookingTransitions

__all__ = [
    "BookingCreated",
    "BookingDetails",
    "BookingList",
    "BookingPage",
    "BookingPolicy",
    "BookingRequest",
    "BookingService",
    "Invite",
]


class BookingService(BookingRequests, BookingTransitions, BookingReschedules, BookingReads):
    """Every booking use case; each lives in the module named after it and shares ``BookingCore``."""
