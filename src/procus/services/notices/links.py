"""The SPA's addresses of a booking, used by every notice that points at one."""

from __future__ import annotations

import uuid

__all__ = ["BookingLinks"]


class BookingLinks:
    """Where people open a booking and join its call in the SPA."""

    def __init__(self, public_url: str) -> None:
        self._base = public_url.rstrip("/")

    @staticmethod
    def booking_path(booking_id: uuid.UUID) -> str:
        return f"/bookings/{booking_id}"

    def booking(self, booking_id: uuid.UUID) -> str:
        return f"{self._base}{self.booking_path(booking_id)}"

    def join(self, booking_id: uuid.UUID) -> str:
        return f"{self._base}/bookings/{booking_id}/call"
