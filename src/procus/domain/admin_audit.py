"""The admin audit trail: who did what to which record, what it looked like before and after, from where.

Every admin action appends exactly one :class:`AuditEntry` in the transaction of the action itself,
so an action and its record commit together or not at all. ``before``/``after`` are small JSON
snapshots of the fields the action is about (never secrets such as password hashes).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.admin_lists import AdminPaged

__all__ = [
    "AdminActor",
    "AuditEntry",
    "AuditQuery",
    "AuditRecord",
    "snapshot",
]

_ACTION = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


class AdminActor(msgspec.Struct, frozen=True, kw_only=True):
    """An admin acting, and the address the request came from."""

    principal: Principal
    address: str = ""

    def __post_init__(self) -> None:
        self.principal.require_role(Role.ADMIN)

    @property
    def admin_id(self) -> uuid.UUID:
        return self.principal.user_id


class AuditRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What an action says about itself; the trail adds who, from where and when."""

    action: str
    """Dotted, lower case: ``user.suspend``, ``review.hide``, ``booking.force_cancel``."""
    target_type: str
    target_id: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if len(self.action) > 64 or not _ACTION.match(self.action):
            raise ValueError(f"audit action {self.action!r} must be dotted lower case")


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    admin_id: uuid.UUID
    admin_email: str
    action: str
    target_type: str
    target_id: str
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    client_address: str
    at: dt.datetime


class AuditQuery(AdminPaged, frozen=True, kw_only=True):
    """Which entries to list, newest first; ``since`` inclusive, ``until`` exclusive."""

    admin_id: uuid.UUID | None = None
    action: str | None = None
    """An exact action, or a prefix ending in a dot (``user.``) for a family."""
    target_type: str | None = None
    target_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None


def snapshot(value: msgspec.Struct, *fields: str) -> dict[str, Any]:
    """The named fields of ``value`` as JSON-ready builtins."""
    built: dict[str, Any] = msgspec.to_builtins({name: getattr(value, name) for name in fields})
    return built
