"""Lengths of free text people write and sizes of files they upload, defined once for the request schemas,
the settings and the services that check them."""

from __future__ import annotations

__all__ = ["AVATAR_MAX_BYTES", "MAX_BOOKING_NOTE_LENGTH", "MAX_CALL_NOTE_LENGTH", "MAX_REASON_LENGTH"]

MAX_BOOKING_NOTE_LENGTH = 2000
"""The client's note to the expert when requesting a booking."""
MAX_REASON_LENGTH = 1000
"""Why a booking is declined, cancelled or moved, or why an admin decides about an expert."""
MAX_CALL_NOTE_LENGTH = 20_000
"""The expert's private notes on a call."""
AVATAR_MAX_BYTES = 2 * 1024 * 1024
"""The default largest avatar image, in bytes (``AVATAR_MAX_BYTES`` in the settings may change it)."""
