"""Admins and accounts: find and read users, suspend and reactivate, change a role, resend verification.

Every change writes its audit row in its own transaction (:func:`record_admin_action`).
"""

from __future__ import annotations

import uuid

import msgspec

from procus.domain.accounts import Role, User
from procus.domain.admin_audit import AdminActor, AuditRecord, snapshot
from procus.domain.admin_lists import BookingSearch, MoneySearch, UserSearch
from procus.domain.bookings import BookingView
from procus.domain.cursors import Page, page_of
from procus.domain.errors import Conflict, InvalidInput
from procus.domain.payments import Payment
from procus.services.admin.audit import record_admin_action
from procus.services.auth import AuthPolicy
from procus.services.auth.recovery import send_verification
from procus.services.ports.clock import Clock
from procus.store import auth_sessions, booking_list, experts, notification_channel, payments, users
from procus.store.db import Database

__all__ = ["AdminUserService", "UserDetail"]

_SHOWN = ("role", "is_active", "email_verified_at")
RECENT = 50


class UserDetail(msgspec.Struct, frozen=True, kw_only=True):
    user: User
    bookings: list[BookingView]
    """The latest bookings as client or expert."""
    payments: list[Payment]
    """The latest payments made or received."""


def _user_record(action: str, before: User, after: User, reason: str | None = None) -> AuditRecord:
    return AuditRecord(
        action=action,
        target_type="user",
        target_id=str(after.id),
        before=snapshot(before, *_SHOWN),
        after=snapshot(after, *_SHOWN),
        reason=reason,
    )


class AdminUserService:
    def __init__(self, db: Database, clock: Clock, policy: AuthPolicy) -> None:
        self._db = db
        self._clock = clock
        self._policy = policy

    async def search(self, actor: AdminActor, search: UserSearch) -> Page[User]:
        async with self._db.connection() as conn:
            found = await users.search_users(conn, search)
        return page_of(found, search.limit, lambda user: (user.created_at, user.id))

    async def detail(self, actor: AdminActor, user_id: uuid.UUID) -> UserDetail:
        async with self._db.connection() as conn:
            user = await users.get_user(conn, user_id)
            views = await booking_list.search_views(conn, BookingSearch(participant_id=user_id, limit=RECENT))
            paid = await payments.search_payments(conn, MoneySearch(user_id=user_id, limit=RECENT))
        return UserDetail(user=user, bookings=views[:RECENT], payments=paid[:RECENT])

    async def set_suspended(
        self, actor: AdminActor, user_id: uuid.UUID, suspended: bool, reason: str | None = None
    ) -> User:
        """Suspend (signing out every session and closing every live notification stream at once) or
        reactivate an account."""
        if suspended and user_id == actor.admin_id:
            raise InvalidInput("cannot_suspend_self", "Admins cannot suspend themselves")
        now = self._clock.now()
        async with self._db.transaction() as tx:
            before = await users.get_user(tx, user_id)
            user = await users.set_active(tx, user_id, not suspended)
            if suspended:
                await auth_sessions.revoke_all_sessions(tx, user_id, now, "suspended")
                await notification_channel.wake_streams(tx, user_id)
            action = "user.suspend" if suspended else "user.reactivate"
            await record_admin_action(tx, actor, _user_record(action, before, user, reason), now)
            return user

    async def change_role(self, actor: AdminActor, user_id: uuid.UUID, role: Role, reason: str | None = None) -> User:
        """Make someone a client, an expert or an admin. A new expert gets an empty, unpublished profile;
        an expert who stops being one leaves the marketplace."""
        if user_id == actor.admin_id:
            raise InvalidInput("cannot_change_own_role", "Admins cannot change their own role")
        now = self._clock.now()
        async with self._db.transaction() as tx:
            before = await users.get_user(tx, user_id)
            if before.role is role:
                raise Conflict("role_unchanged", f"This account already has the {role.value} role")
            user = await users.set_role(tx, user_id, role)
            if role is Role.EXPERT:
                await experts.insert_empty_profile(tx, user_id, user.time_zone)
            elif before.role is Role.EXPERT:
                await experts.update_profile(tx, user_id, published=False)
            await record_admin_action(tx, actor, _user_record("user.change_role", before, user, reason), now)
            return user

    async def resend_verification(self, actor: AdminActor, user_id: uuid.UUID) -> User:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            user = await users.get_user(tx, user_id)
            if user.email_verified:
                raise Conflict("email_already_verified", "This email address is already verified")
            await send_verification(tx, user, now, self._policy)
            await record_admin_action(
                tx,
                actor,
                AuditRecord(action="user.resend_verification", target_type="user", target_id=str(user_id)),
                now,
            )
            return user
