"""/v1/me/favorites: the experts a user keeps an eye on."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, put

from procus.domain.accounts import Principal
from procus.services.trust.favorites import FavoriteService, FavoriteView

__all__ = ["FavoritesController"]


class FavoriteOut(msgspec.Struct, frozen=True, kw_only=True):
    expert_id: uuid.UUID
    full_name: str
    headline: str
    avatar_url: str | None
    bookable: Annotated[bool, msgspec.Meta(description="Listed in the marketplace with something to book")]
    next_free_slot: Annotated[dt.datetime | None, msgspec.Meta(description="First free start within 30 days")]
    favorited_at: dt.datetime

    @classmethod
    def of(cls, view: FavoriteView) -> FavoriteOut:
        favorite = view.favorite
        return cls(
            expert_id=favorite.expert_id,
            full_name=favorite.full_name,
            headline=favorite.headline,
            avatar_url=view.avatar_url,
            bookable=favorite.listed and favorite.min_duration_minutes is not None,
            next_free_slot=favorite.next_free_slot,
            favorited_at=favorite.favorited_at,
        )


class FavoritesController(Controller):
    path = "/v1/me/favorites"
    tags = ["favorites"]

    @get(operation_id="listFavorites")
    async def list_favorites(self, favorites: FavoriteService, principal: Principal) -> list[FavoriteOut]:
        """Favorite experts, latest first, with each one's next free time."""
        return [FavoriteOut.of(view) for view in await favorites.list_mine(principal)]

    @put("/{expert_id:uuid}", operation_id="addFavorite", status_code=204)
    async def add(self, expert_id: uuid.UUID, favorites: FavoriteService, principal: Principal) -> None:
        """Favorite a listed expert (idempotent); you are told when they open new hours, at most daily."""
        await favorites.add(principal, expert_id)

    @delete("/{expert_id:uuid}", operation_id="removeFavorite", status_code=204)
    async def remove(self, expert_id: uuid.UUID, favorites: FavoriteService, principal: Principal) -> None:
        await favorites.remove(principal, expert_id)
