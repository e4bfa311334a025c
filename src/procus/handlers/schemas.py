"""Response shapes shared by several controllers."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Role, User

__all__ = ["WEBHOOK_MAX_BYTES", "UserOut"]

WEBHOOK_MAX_BYTES = 256 * 1024
"""Largest webhook body taken: refused with 413 before its signature is checked (real ones are a few KiB)."""


class UserOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    time_zone: str
    locale: str
    email_verified: bool
    created_at: dt.datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            role=user.role,
            time_zone=user.time_zone,
            locale=user.locale,
            email_verified=user.email_verified,
            created_at=user.created_at,
        )
