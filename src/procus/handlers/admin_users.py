"""/v1/admin/users: account administration."""

from __future__ import annotations

import uuid

from litestar import Controller, post

from procus.domain.accounts import Principal
from procus.handlers.schemas import UserOut
from procus.services.accounts.account import AccountService

__all__ = ["AdminUsersController"]


class AdminUsersController(Controller):
    path = "/v1/admin/users"
    tags = ["admin"]

    @post("/{user_id:uuid}/suspend", operation_id="suspendUser", status_code=200)
    async def suspend(self, user_id: uuid.UUID, accounts: AccountService, admin: Principal) -> UserOut:
        return UserOut.of(await accounts.set_suspended(admin, user_id, suspended=True))

    @post("/{user_id:uuid}/reactivate", operation_id="reactivateUser", status_code=200)
    async def reactivate(self, user_id: uuid.UUID, accounts: AccountService, admin: Principal) -> UserOut:
        return UserOut.of(await accounts.set_suspended(admin, user_id, suspended=False))
