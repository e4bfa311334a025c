"""/v1/me: the signed-in user's own account."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, patch

from procus.domain.accounts import Principal, User
from procus.handlers.schemas import UserOut
from procus.services.accounts.account import AccountService
from procus.services.accounts.avatars import AvatarService

__all__ = ["MeController", "MeOut"]


class MeOut(UserOut, frozen=True, kw_only=True):
    avatar_url: Annotated[
        str | None,
        msgspec.Meta(description="Short-lived URL of the avatar image (POST /v1/me/avatar/uploads); null without one"),
    ] = None

    @classmethod
    def with_avatar(cls, user: User, avatar_url: str | None) -> MeOut:
        return cls(**msgspec.structs.asdict(UserOut.of(user)), avatar_url=avatar_url)


class MeUpdate(msgspec.Struct, forbid_unknown_fields=True):
    full_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)] | msgspec.UnsetType = msgspec.UNSET
    time_zone: Annotated[str, msgspec.Meta(max_length=64)] | msgspec.UnsetType = msgspec.UNSET
    locale: Annotated[str, msgspec.Meta(max_length=16)] | msgspec.UnsetType = msgspec.UNSET


def _given(value: str | msgspec.UnsetType) -> str | None:
    return None if isinstance(value, msgspec.UnsetType) else value


class MeController(Controller):
    path = "/v1/me"
    tags = ["account"]

    @get(operation_id="getMe")
    async def get_me(self, accounts: AccountService, avatars: AvatarService, principal: Principal) -> MeOut:
        return MeOut.with_avatar(await accounts.me(principal), await avatars.url_for(principal.user_id))

    @patch(operation_id="updateMe")
    async def update_me(
        self, data: MeUpdate, accounts: AccountService, avatars: AvatarService, principal: Principal
    ) -> MeOut:
        user = await accounts.update_me(
            principal,
            full_name=_given(data.full_name),
            time_zone=_given(data.time_zone),
            locale=_given(data.locale),
        )
        return MeOut.with_avatar(user, await avatars.url_for(principal.user_id))
