"""Opaque keyset cursors, and the page size every list accepts.

A page ends at its last row; the next page starts strictly after that row's position. A cursor is that
position as a small struct, JSON-encoded and base64url'd (unpadded), so clients treat it as an opaque
string. :class:`TimeCursor` is the common position, ``[at, id]``, of lists ordered by (time, id).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import msgspec

from procus.domain.errors import InvalidInput

__all__ = [
    "Page",
    "TimeCursor",
    "check_limit",
    "decode_cursor",
    "encode_cursor",
    "invalid_cursor",
    "page_of",
    "paginate",
]

T = TypeVar("T")
_C = TypeVar("_C", bound=msgspec.Struct)


def encode_cursor(position: msgspec.Struct) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(position)).rstrip(b"=").decode()


def decode_cursor(token: str, kind: type[_C]) -> _C:
    """The ``kind`` a token from :func:`encode_cursor` holds; ``invalid_cursor`` for anything else."""
    try:
        return msgspec.json.decode(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)), type=kind)
    except (binascii.Error, ValueError, msgspec.ValidationError):
        raise invalid_cursor() from None


def invalid_cursor() -> InvalidInput:
    return InvalidInput("invalid_cursor", "cursor is not one this API issued", field="cursor")


def check_limit(limit: int, maximum: int) -> None:
    """Refuse a page size outside ``1..maximum`` with ``invalid_limit``."""
    if not 1 <= limit <= maximum:
        raise InvalidInput("invalid_limit", f"limit must be within 1..{maximum}", field="limit")


class TimeCursor(msgspec.Struct, frozen=True, array_like=True):
    at: dt.datetime
    id: str
    """The row's id as text (uuid or integer), the tie-breaker inside one instant."""

    def encode(self) -> str:
        return encode_cursor(self)

    @classmethod
    def decode(cls, token: str) -> TimeCursor:
        return decode_cursor(token, cls)

    def uuid_id(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.id)
        except ValueError:
            raise invalid_cursor() from None

    def int_id(self) -> int:
        try:
            return int(self.id)
        except ValueError:
            raise invalid_cursor() from None

    @classmethod
    def decode_optional(cls, token: str | None) -> TimeCursor | None:
        return cls.decode(token) if token else None


class Page(msgspec.Struct, Generic[T], frozen=True, kw_only=True):
    items: list[T]
    next_cursor: str | None


def paginate(
    found: Sequence[T], limit: int, key: Callable[[T], tuple[dt.datetime, object]]
) -> tuple[list[T], str | None]:
    """A page from ``found`` (fetched with ``limit + 1`` rows) and the cursor after its last row, if more exist."""
    page = list(found[:limit])
    if len(found) <= limit:
        return page, None
    at, row_id = key(page[-1])
    return page, TimeCursor(at=at, id=str(row_id)).encode()


def page_of(found: Sequence[T], limit: int, key: Callable[[T], tuple[dt.datetime, object]]) -> Page[T]:
    items, cursor = paginate(found, limit, key)
    return Page(items=items, next_cursor=cursor)
