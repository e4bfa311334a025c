"""Opaque page cursors: a small struct as URL-safe base64 JSON, refused unless it decodes to that struct."""

from __future__ import annotations

import base64
import binascii
from typing import TypeVar

import msgspec

from procus.domain.errors import InvalidInput

__all__ = ["decode_cursor", "encode_cursor"]

_C = TypeVar("_C", bound=msgspec.Struct)


def encode_cursor(position: msgspec.Struct) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(position)).rstrip(b"=").decode()


def decode_cursor(token: str, kind: type[_C]) -> _C:
    try:
        return msgspec.json.decode(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)), type=kind)
    except (binascii.Error, ValueError, msgspec.ValidationError):
        raise InvalidInput("invalid_cursor", "cursor is not one this API issued", field="cursor") from None
