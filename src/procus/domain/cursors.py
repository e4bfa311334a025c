"""Opaque keyset cursors for lists ordered newest first by (time, id).

A page ends at its last row; the next page starts strictly after that row's (at, id). The cursor is
that pair, JSON-encoded and base64url'd, so clients treat it as an opaque string.
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

__all__ = ["Page", "TimeCursor", "page_of", "paginate"]

T = TypeVar("T")


class TimeCursor(msgspec.Struct, frozen=True, array_like=True):
    at: dt.datetime
    id: str
    """The row's id as text (uuid or integer), the tie-breaker inside one instant."""

    def encode(self) -> str:
        return base64.urlsafe_b64encode(msgspec.json.encode(self)).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> TimeCursor:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            return msgspec.json.decode(raw, type=cls)
        except (binascii.Error, ValueError, msgspec.ValidationError):
            raise _invalid() from None

    def uuid_id(self) -> uuid.UUID:
        try:
            return uuid.UUID(self.id)
        except ValueError:
            raise _invalid() from None

    def int_id(self) -> int:
        try:
            return int(self.id)
        except ValueError:
            raise _invalid() from None

    @classmethod
    def decode_optional(cls, token: str | None) -> TimeCursor | None:
        return cls.decode(token) if token else None


def _invalid() -> InvalidInput:
    return InvalidInput("invalid_cursor", "cursor is not one this API issued", field="cursor")


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
