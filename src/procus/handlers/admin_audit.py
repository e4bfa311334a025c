"""/v1/admin/audit: the trail of every admin action, newest first."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from procus.domain.admin_audit import MAX_AUDIT_PAGE, AdminActor, AuditEntry, AuditQuery
from procus.domain.cursors import TimeCursor
from procus.services.admin.audit import AdminAuditService

__all__ = ["AdminAuditController"]


class AuditEntryOut(msgspec.Struct, frozen=True, kw_only=True):
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

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(**msgspec.structs.asdict(entry))


class AuditPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AuditEntryOut]
    next_cursor: str | None


class AdminAuditController(Controller):
    path = "/v1/admin/audit"
    tags = ["admin"]

    @get(operation_id="listAdminAudit")
    async def entries(
        self,
        admin_audit: AdminAuditService,
        admin_actor: AdminActor,
        admin_id: Annotated[uuid.UUID | None, Parameter(description="Only this admin's actions")] = None,
        action: Annotated[
            str | None, Parameter(max_length=64, description="An action (user.suspend) or a family (user.)")
        ] = None,
        target_type: Annotated[str | None, Parameter(max_length=40)] = None,
        target_id: Annotated[str | None, Parameter(max_length=100)] = None,
        since: Annotated[dt.datetime | None, Parameter(query="from", description="Inclusive, RFC 3339")] = None,
        until: Annotated[dt.datetime | None, Parameter(query="to", description="Exclusive, RFC 3339")] = None,
        limit: Annotated[int, Parameter(ge=1, le=MAX_AUDIT_PAGE)] = 50,
        cursor: Annotated[str | None, Parameter(max_length=500, description="next_cursor of the previous page")] = None,
    ) -> AuditPageOut:
        query = AuditQuery(
            admin_id=admin_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            since=since,
            until=until,
            after=TimeCursor.decode_optional(cursor),
            limit=limit,
        )
        page = await admin_audit.entries(admin_actor, query)
        return AuditPageOut(items=[AuditEntryOut.of(entry) for entry in page.items], next_cursor=page.next_cursor)
