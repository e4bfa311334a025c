"""In-app notifications: what a user is told, in the order it happened, and how the inbox pages.

Each user's notifications carry ``seq`` = 1, 2, 3 ... in commit order (the store guarantees it), so
``seq`` is both the SSE event id and the keyset for "what came after". The inbox lists unread
notifications first, newest first; its cursor is the (unread, seq) of the last item shown.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Annotated, Any

import msgspec

from procus.domain.cursors import decode_cursor, encode_cursor

__all__ = [
    "MAX_BODY",
    "MAX_DATA_BYTES",
    "MAX_KIND",
    "MAX_TITLE",
    "InboxCursor",
    "Notification",
    "NotificationPage",
    "validate_notification",
]

MAX_TITLE = 200
MAX_BODY = 2000
MAX_KIND = 64
MAX_DATA_BYTES = 4000
_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


class Notification(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    user_id: uuid.UUID
    seq: int
    kind: str
    """Dotted, lower case, e.g. ``booking.requested``, ``payment.succeeded``, ``payout.paid``."""
    title: str
    body: str
    data: dict[str, Any]
    """Small JSON for the SPA (ids, and ``url``: the SPA path the notification opens)."""
    important: bool
    created_at: dt.datetime
    read_at: dt.datetime | None = None

    @property
    def unread(self) -> bool:
        return self.read_at is None


class InboxCursor(msgspec.Struct, frozen=True, array_like=True):
    """Position after the last item of a page: opaque to clients (``encode``/``decode``)."""

    unread: bool
    seq: Annotated[int, msgspec.Meta(ge=0)]

    def encode(self) -> str:
        return encode_cursor(self)

    @classmethod
    def decode(cls, token: str) -> InboxCursor:
        return decode_cursor(token, cls)


class NotificationPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Notification]
    next_cursor: str | None
    unread_count: int
    last_seq: int
    """The user's newest ``seq`` as of this read (0 if none): where a live stream picks up from."""


def validate_notification(kind: str, title: str, body: str, data: dict[str, Any]) -> None:
    """Reject what the table would refuse, with a clear error at the caller's line rather than at commit."""
    if len(kind) > MAX_KIND or not _KIND.match(kind):
        raise ValueError(f"notification kind {kind!r} must be dotted lower case, e.g. 'booking.confirmed'")
    if not 1 <= len(title) <= MAX_TITLE:
        raise ValueError(f"a notification title must be 1 to {MAX_TITLE} characters")
    if len(body) > MAX_BODY:
        raise ValueError(f"a notification body may be at most {MAX_BODY} characters")
    if len(msgspec.json.encode(data)) > MAX_DATA_BYTES:
        raise ValueError(f"notification data may be at most {MAX_DATA_BYTES} bytes of JSON")
