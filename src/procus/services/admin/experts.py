"""Admins and the marketplace: the approval queue, approving or rejecting an expert, unpublishing one.

Each decision is audited in its own transaction and the expert is told.
"""

from __future__ import annotations

import uuid

from procus.domain.admin_audit import AdminActor, AuditRecord, snapshot
from procus.domain.cursors import Page, TimeCursor, page_of
from procus.domain.errors import Conflict, InvalidInput
from procus.domain.experts import ApprovalStatus, ExpertProfile, validate_approval_reason
from procus.domain.reasons import validate_reason
from procus.services.admin.audit import record_admin_action
from procus.services.notices.notifications import notify
from procus.services.ports.clock import Clock
from procus.store import experts
from procus.store.db import Database

__all__ = ["AdminExpertService"]

_DECISIONS = (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED)
_SHOWN = ("approval", "approval_reason", "published")


class AdminExpertService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def queue(
        self,
        actor: AdminActor,
        status: ApprovalStatus = ApprovalStatus.PENDING,
        cursor: str | None = None,
        limit: int = 50,
    ) -> Page[ExpertProfile]:
        """Experts in ``status`` (by default those waiting for a decision), longest waiting first."""
        after = TimeCursor.decode_optional(cursor)
        async with self._db.connection() as conn:
            found = await experts.list_by_approval(conn, status, after, limit + 1)
        return page_of(found, limit, lambda profile: (profile.updated_at, profile.user_id))

    async def decide_approval(
        self, actor: AdminActor, expert_id: uuid.UUID, status: ApprovalStatus, reason: str = ""
    ) -> ExpertProfile:
        if status not in _DECISIONS:
            raise InvalidInput("invalid_approval_status", "status must be approved or rejected", field="status")
        reason = validate_approval_reason(reason)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            before = await experts.get_profile(tx, expert_id)
            profile = await experts.set_approval(
                tx, expert_id, status, reason=reason, decided_by=actor.admin_id, at=now
            )
            record = AuditRecord(
                action=f"expert.{'approve' if status is ApprovalStatus.APPROVED else 'reject'}",
                target_type="expert",
                target_id=str(expert_id),
                before=snapshot(before, *_SHOWN),
                after=snapshot(profile, *_SHOWN),
                reason=reason or None,
            )
            await record_admin_action(tx, actor, record, now)
            verdict = "approved" if status is ApprovalStatus.APPROVED else "not approved"
            await notify(
                tx,
                user_id=expert_id,
                kind=f"expert.{status.value}",
                title=f"Your expert profile was {verdict}",
                body=reason,
                now=now,
                data={"url": "/expert/profile"},
                important=True,
            )
        return profile

    async def unpublish(self, actor: AdminActor, expert_id: uuid.UUID, reason: str) -> ExpertProfile:
        """Take an expert out of the marketplace; they may publish again once they have fixed the cause."""
        text = validate_reason(reason) or ""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            before = await experts.get_profile(tx, expert_id)
            if not before.published:
                raise Conflict("expert_not_published", "This expert's profile is not published")
            profile = await experts.update_profile(tx, expert_id, published=False)
            record = AuditRecord(
                action="expert.unpublish",
                target_type="expert",
                target_id=str(expert_id),
                before=snapshot(before, *_SHOWN),
                after=snapshot(profile, *_SHOWN),
                reason=text,
            )
            await record_admin_action(tx, actor, record, now)
            await notify(
                tx,
                user_id=expert_id,
                kind="expert.unpublished",
                title="Your profile was taken out of the marketplace",
                body=text,
                now=now,
                data={"url": "/expert/profile"},
                important=True,
            )
        return profile
