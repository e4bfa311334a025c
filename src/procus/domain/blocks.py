"""Blocks between users: one person keeping another away from them."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

__all__ = ["Block"]


class Block(msgspec.Struct, frozen=True, kw_only=True):
    blocker_id: uuid.UUID
    blocker_name: str
    blocked_id: uuid.UUID
    blocked_name: str
    reason: str
    created_at: dt.datetime
