"""The admin audit trail: ``admin_audit`` is append-only (a trigger refuses UPDATE and DELETE)."""

from __future__ import annotations

import datetime as dt

import asyncpg

from procus.domain.admin_audit import AdminActor, AuditEntry, AuditQuery, AuditRecord
from procus.store.db import Connection
from procus.store.keyset import Keyset

__all__ = ["append", "list_entries"]

INSERT_ENTRY = """
INSERT INTO admin_audit (admin_id, action, target_type, target_id, reason, before, after, client_address, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id
"""
_NEWEST = Keyset("a.at", "a.id", id_type="bigint")
SELECT_ENTRIES = f"""
SELECT a.id, a.admin_id, u.email AS admin_email, a.action, a.target_type, a.target_id, a.reason, a.before, a.after,
       a.client_address, a.at
FROM admin_audit a JOIN users u ON u.id = a.admin_id
WHERE ($1::uuid IS NULL OR a.admin_id = $1)
  AND ($2::text IS NULL OR a.action = $2 OR (right($2, 1) = '.' AND starts_with(a.action, $2)))
  AND ($3::text IS NULL OR a.target_type = $3)
  AND ($4::text IS NULL OR a.target_id = $4)
  AND {_NEWEST.within(5)}
  {_NEWEST.page(7)}
"""


def _to_entry(row: asyncpg.Record) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        admin_id=row["admin_id"],
        admin_email=row["admin_email"],
        action=row["action"],
        target_type=row["target_type"],
        target_id=row["target_id"],
        reason=row["reason"],
        before=row["before"],
        after=row["after"],
        client_address=row["client_address"],
        at=row["at"],
    )


async def append(conn: Connection, actor: AdminActor, record: AuditRecord, at: dt.datetime) -> int:
    entry_id: int = await conn.fetchval(
        INSERT_ENTRY,
        actor.admin_id,
        record.action,
        record.target_type,
        record.target_id,
        record.reason,
        record.before,
        record.after,
        actor.address,
        at,
    )
    return entry_id


async def list_entries(conn: Connection, query: AuditQuery) -> list[AuditEntry]:
    """Up to ``query.limit + 1`` entries, newest first (one more than asked, to tell if a next page exists)."""
    rows = await conn.fetch(
        SELECT_ENTRIES,
        query.admin_id,
        query.action,
        query.target_type,
        query.target_id,
        query.since,
        query.until,
        *_NEWEST.args(query.after),
        query.limit + 1,
    )
    return [_to_entry(row) for row in rows]
