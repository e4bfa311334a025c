"""/v1/experts/me: the signed-in expert's profile and areas of expertise."""

from __future__ import annotations

import uuid
from typing import Annotated, TypeVar

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from procus.domain.accounts import Principal
from procus.handlers.expert_schemas import AreaOut, ExpertProfileOut
from procus.services.experts.areas import AreaChanges, AreaService
from procus.services.experts.profiles import ExpertProfileService

__all__ = ["ExpertSelfController"]

_T = TypeVar("_T")

Headline = Annotated[str, msgspec.Meta(max_length=160)]
Bio = Annotated[str, msgspec.Meta(max_length=5000)]
Languages = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=8)]],
    msgspec.Meta(max_length=20, description="ISO 639-1 codes", examples=[["en", "yo"]]),
]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
Description = Annotated[str, msgspec.Meta(max_length=4000)]
Category = Annotated[str, msgspec.Meta(max_length=40, description="A slug from GET /v1/categories")]
Duration = Annotated[int, msgspec.Meta(description="Minutes, a multiple of 15 from 15 to 240", examples=[60])]


class PriceIn(msgspec.Struct, forbid_unknown_fields=True):
    amount: Annotated[int, msgspec.Meta(description="Integer minor units (kobo, cents); positive")]
    currency: Annotated[str, msgspec.Meta(min_length=3, max_length=3, examples=["NGN"])]


class PriceUpdate(msgspec.Struct, forbid_unknown_fields=True):
    amount: int | msgspec.UnsetType = msgspec.UNSET
    currency: Annotated[str, msgspec.Meta(min_length=3, max_length=3)] | msgspec.UnsetType = msgspec.UNSET


class ExpertProfileUpdate(msgspec.Struct, forbid_unknown_fields=True):
    headline: Headline | msgspec.UnsetType = msgspec.UNSET
    bio: Bio | msgspec.UnsetType = msgspec.UNSET
    languages: Languages | msgspec.UnsetType = msgspec.UNSET
    time_zone: Annotated[str, msgspec.Meta(max_length=64, description="IANA zone")] | msgspec.UnsetType = msgspec.UNSET
    published: bool | msgspec.UnsetType = msgspec.UNSET


class AreaCreate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title
    category: Category
    price: PriceIn
    duration_minutes: Duration
    description: Description = ""


class AreaUpdate(msgspec.Struct, forbid_unknown_fields=True):
    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType = msgspec.UNSET
    category: Category | msgspec.UnsetType = msgspec.UNSET
    price: PriceUpdate | msgspec.UnsetType = msgspec.UNSET
    duration_minutes: Duration | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET


def _given(value: _T | msgspec.UnsetType) -> _T | None:
    return None if isinstance(value, msgspec.UnsetType) else value


class ExpertSelfController(Controller):
    path = "/v1/experts/me"
    tags = ["expert"]

    @get("/profile", operation_id="getMyExpertProfile")
    async def get_profile(self, expert_profiles: ExpertProfileService, expert: Principal) -> ExpertProfileOut:
        return ExpertProfileOut.of(await expert_profiles.own_profile(expert))

    @patch("/profile", operation_id="updateMyExpertProfile")
    async def update_profile(
        self, data: ExpertProfileUpdate, expert_profiles: ExpertProfileService, expert: Principal
    ) -> ExpertProfileOut:
        profile = await expert_profiles.update_own_profile(
            expert,
            headline=_given(data.headline),
            bio=_given(data.bio),
            languages=_given(data.languages),
            time_zone=_given(data.time_zone),
            published=_given(data.published),
        )
        return ExpertProfileOut.of(profile)

    @get("/areas", operation_id="listMyAreas")
    async def list_areas(self, expert_areas: AreaService, expert: Principal) -> list[AreaOut]:
        return [AreaOut.of(area) for area in await expert_areas.list_own(expert)]

    @post("/areas", operation_id="createMyArea", status_code=HTTP_201_CREATED)
    async def create_area(self, data: AreaCreate, expert_areas: AreaService, expert: Principal) -> AreaOut:
        area = await expert_areas.create(
            expert,
            title=data.title,
            description=data.description,
            category=data.category,
            price_amount=data.price.amount,
            currency=data.price.currency,
            duration_minutes=data.duration_minutes,
        )
        return AreaOut.of(area)

    @patch("/areas/{area_id:uuid}", operation_id="updateMyArea")
    async def update_area(
        self, area_id: uuid.UUID, data: AreaUpdate, expert_areas: AreaService, expert: Principal
    ) -> AreaOut:
        price = _given(data.price)
        changes = AreaChanges(
            title=_given(data.title),
            description=_given(data.description),
            category=_given(data.category),
            price_amount=_given(price.amount) if price else None,
            currency=_given(price.currency) if price else None,
            duration_minutes=_given(data.duration_minutes),
            active=_given(data.active),
        )
        return AreaOut.of(await expert_areas.update(expert, area_id, changes))

    @delete("/areas/{area_id:uuid}", operation_id="deactivateMyArea", status_code=HTTP_204_NO_CONTENT)
    async def deactivate_area(self, area_id: uuid.UUID, expert_areas: AreaService, expert: Principal) -> None:
        """Takes the area off offer (it stays in history and on existing bookings)."""
        await expert_areas.deactivate(expert, area_id)
