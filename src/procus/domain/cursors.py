"""Opaque keyset cursors for lists ordered newest first by (time, id).

A page ends at its last row; the next page starts strictly after that row's (at, id). The cursor is
that pair, JSON-encoded and base64url'd, so clients treat it as an opaque string.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import uuid

import msgspec

from procus.domain.errors import InvalidInput

__all__ = ["TimeCursor"]


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
