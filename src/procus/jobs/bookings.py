"""Booking sweeps: requests and proposals left unanswered (or unpaid) expire; old Idempotency-Keys go.

Both are idempotent: expiry re-checks each booking under its row lock, so overlapping runs expire
and refund each booking once.
"""

from __future__ import annotations

from procus.jobs.registry import Schedule
from procus.services.bookings import BookingService
from procus.services.idempotency import IdempotencyService

__all__ = ["SCHEDULES", "expire_unanswered", "purge_idempotency_keys"]


async def expire_unanswered(bookings: BookingService) -> None:
    await bookings.expiry.expire_unanswered()


async def purge_idempotency_keys(idempotency: IdempotencyService) -> None:
    await idempotency.purge_expired()


SCHEDULES = [
    Schedule(name="bookings.expire_unanswered", cron="* * * * *", service=BookingService, run=expire_unanswered),
    Schedule(
        name="bookings.purge_idempotency_keys",
        cron="23 * * * *",
        service=IdempotencyService,
        run=purge_idempotency_keys,
    ),
]
