"""/v1/admin/users: find, read and administer accounts (every change audited)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec
from litestar import Controller, get, post
from litestar.params import Parameter

from procus.domain.accounts import Role
from procus.domain.admin_audit import AdminActor
from procus.domain.admin_lists import UserSearch
from procus.domain.cursors import TimeCursor
from procus.domain.limits import MAX_REASON_LENGTH
from procus.handlers.admin_schemas import (
    AdminBookingOut,
    AdminLimit,
    AdminPaymentOut,
    AdminUserOut,
    OptionalAdminReason,
)
from procus.handlers.paging import PageCursor, page_out
from procus.services.admin.users import AdminUserService

__all__ = ["AdminUsersController"]


class AdminUserPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AdminUserOut]
    next_cursor: str | None


class AdminUserDetailOut(msgspec.Struct, frozen=True, kw_only=True):
    user: AdminUserOut
    bookings: Annotated[list[AdminBookingOut], msgspec.Meta(description="The latest 50, as client or expert")]
    payments: Annotated[list[AdminPaymentOut], msgspec.Meta(description="The latest 50, made or received")]


class RoleChange(msgspec.Struct, forbid_unknown_fields=True):
    role: Role
    reason: Annotated[str, msgspec.Meta(max_length=MAX_REASON_LENGTH)] | None = None


class AdminUsersController(Controller):
    path = "/v1/admin/users"
    tags = ["admin"]

    @get(operation_id="listUsers")
    async def list_users(
        self,
        admin_users: AdminUserService,
        admin_actor: AdminActor,
        q: Annotated[str | None, Parameter(max_length=200, description="Part of the email or name")] = None,
        role: Role | None = None,
        status: Literal["active", "suspended"] | None = None,
        created_from: Annotated[dt.datetime | None, Parameter(description="Inclusive, RFC 3339")] = None,
        created_to: Annotated[dt.datetime | None, Parameter(description="Exclusive, RFC 3339")] = None,
        limit: AdminLimit = 50,
        cursor: PageCursor = None,
    ) -> AdminUserPageOut:
        """Accounts, newest first."""
        search = UserSearch(
            text=q.strip() or None if q else None,
            role=role,
            active=None if status is None else status == "active",
            created_from=created_from,
            created_to=created_to,
            after=TimeCursor.decode_optional(cursor),
            limit=limit,
        )
        page = await admin_users.search(admin_actor, search)
        return page_out(AdminUserPageOut, page, AdminUserOut.of)

    @get("/{user_id:uuid}", operation_id="getUserForAdmin")
    async def get_user(
        self, user_id: uuid.UUID, admin_users: AdminUserService, admin_actor: AdminActor
    ) -> AdminUserDetailOut:
        detail = await admin_users.detail(admin_actor, user_id)
        return AdminUserDetailOut(
            user=AdminUserOut.of(detail.user),
            bookings=[AdminBookingOut.of(view) for view in detail.bookings],
            payments=[AdminPaymentOut.of(payment) for payment in detail.payments],
        )

    @post("/{user_id:uuid}/suspend", operation_id="suspendUser", status_code=200)
    async def suspend(
        self,
        user_id: uuid.UUID,
        admin_users: AdminUserService,
        admin_actor: AdminActor,
        data: OptionalAdminReason | None = None,
    ) -> AdminUserOut:
        """Suspend: every session is signed out and open notification streams end at once."""
        reason = data.reason if data else None
        return AdminUserOut.of(await admin_users.set_suspended(admin_actor, user_id, True, reason))

    @post("/{user_id:uuid}/reactivate", operation_id="reactivateUser", status_code=200)
    async def reactivate(
        self,
        user_id: uuid.UUID,
        admin_users: AdminUserService,
        admin_actor: AdminActor,
        data: OptionalAdminReason | None = None,
    ) -> AdminUserOut:
        reason = data.reason if data else None
        return AdminUserOut.of(await admin_users.set_suspended(admin_actor, user_id, False, reason))

    @post("/{user_id:uuid}/role", operation_id="changeUserRole", status_code=200)
    async def change_role(
        self, user_id: uuid.UUID, data: RoleChange, admin_users: AdminUserService, admin_actor: AdminActor
    ) -> AdminUserOut:
        return AdminUserOut.of(await admin_users.change_role(admin_actor, user_id, data.role, data.reason))

    @post("/{user_id:uuid}/resend-verification", operation_id="resendUserVerification", status_code=200)
    async def resend_verification(
        self, user_id: uuid.UUID, admin_users: AdminUserService, admin_actor: AdminActor
    ) -> AdminUserOut:
        """Send the account a fresh email-verification link."""
        return AdminUserOut.of(await admin_users.resend_verification(admin_actor, user_id))
