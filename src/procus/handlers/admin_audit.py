"""/v1/admin/audit: the trail of every admin action, newest first."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from procus.domain.admin_audit import AdminActor, AuditEntry, AuditQuery
from procus.domain.cursors import TimeCursor
from procus.handlers.admin_schemas import AdminLimit, WindowEnd, WindowStart
from procus.handlers.paging import PageCursor, page_out
from procus.services.admin.audit import AdminAuditService

__all__ = ["AdminAuditController"]


class AuditEntryOut(AuditEntry, frozen=True, kw_only=True):
    """An entry as the trail holds it (the domain's struct is the wire shape)."""

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
        since: WindowStart = None,
        until: WindowEnd = None,
        limit: AdminLimit = 50,
        cursor: PageCursor = None,
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
        return page_out(AuditPageOut, page, AuditEntryOut.of)
