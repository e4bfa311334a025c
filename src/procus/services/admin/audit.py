"""The admin audit trail: recording an action inside its own transaction, and reading the trail."""

from __future__ import annotations

import datetime as dt

import msgspec

from procus.domain.admin_audit import AdminActor, AuditEntry, AuditQuery, AuditRecord
from procus.domain.cursors import paginate
from procus.store import admin_audit
from procus.store.db import Connection, Database

__all__ = ["AdminAuditService", "AuditPage", "record_admin_action"]


async def record_admin_action(tx: Connection, actor: AdminActor, record: AuditRecord, now: dt.datetime) -> None:
    """Append ``record`` to the trail in ``tx``: the caller's transaction, so both commit or neither."""
    await admin_audit.append(tx, actor, record, now)


class AuditPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AuditEntry]
    next_cursor: str | None


class AdminAuditService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def entries(self, actor: AdminActor, query: AuditQuery) -> AuditPage:
        async with self._db.connection() as conn:
            found = await admin_audit.list_entries(conn, query)
        page, cursor = paginate(found, query.limit, lambda entry: (entry.at, entry.id))
        return AuditPage(items=page, next_cursor=cursor)
