"""The admin audit trail: recording an action inside its own transaction, and reading the trail."""

from __future__ import annotations

import datetime as dt

from procus.domain.admin_audit import AdminActor, AuditEntry, AuditQuery, AuditRecord
from procus.domain.cursors import Page, page_of
from procus.store import admin_audit
from procus.store.db import Connection, Database

__all__ = ["AdminAuditService", "record_admin_action"]


async def record_admin_action(tx: Connection, actor: AdminActor, record: AuditRecord, now: dt.datetime) -> None:
    """Append ``record`` to the trail in ``tx``: the caller's transaction, so both commit or neither."""
    await admin_audit.append(tx, actor, record, now)


class AdminAuditService:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def entries(self, actor: AdminActor, query: AuditQuery) -> Page[AuditEntry]:
        async with self._db.connection() as conn:
            found = await admin_audit.list_entries(conn, query)
        return page_of(found, query.limit, lambda entry: (entry.at, entry.id))
