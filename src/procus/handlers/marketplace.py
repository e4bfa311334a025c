"""Public marketplace reads, no sign-in: categories, the expert listing, profiles and bookable slots."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.domain.marketplace import MAX_PAGE_SIZE, ExpertSearch, ExpertSort, search_words
from procus.domain.slot_window import parse_rfc3339
from procus.handlers.expert_schemas import ExpertCardOut, PublicExpertOut
from procus.handlers.paging import PageCursor
from procus.services.experts.marketplace import MarketplaceService
from procus.services.experts.slots import SlotList, SlotService

__all__ = ["CategoriesController", "ExpertsController", "SlotsOut"]


class CategoryOut(msgspec.Struct, frozen=True):
    slug: str
    name: str


class ExpertListOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ExpertCardOut]
    next_cursor: Annotated[
        str | None, msgspec.Meta(description="Pass as `cursor` for the next page; null on the last page")
    ]


class SlotsOut(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    expert_id: uuid.UUID
    area_id: uuid.UUID
    duration_minutes: int
    window_start: dt.datetime = msgspec.field(name="from")
    window_end: dt.datetime = msgspec.field(name="to")
    slots: Annotated[list[dt.datetime], msgspec.Meta(description="Start instants, RFC 3339 UTC, ascending")]
    time_zone: str | None = None
    by_local_date: Annotated[
        dict[str, list[dt.datetime]] | None,
        msgspec.Meta(description="Only with `tz`: the same instants keyed by their local date (YYYY-MM-DD) in tz"),
    ] = None

    @classmethod
    def of(cls, found: SlotList) -> SlotsOut:
        return cls(
            expert_id=found.expert_id,
            area_id=found.area_id,
            duration_minutes=found.duration_minutes,
            window_start=found.window_start,
            window_end=found.window_end,
            slots=found.slots,
            time_zone=found.time_zone,
            by_local_date=(
                {day.isoformat(): slots for day, slots in found.by_local_date.items()}
                if found.by_local_date is not None
                else None
            ),
        )


class CategoriesController(Controller):
    path = "/v1/categories"
    tags = ["marketplace"]

    @get(operation_id="listCategories")
    async def list_categories(self, marketplace: MarketplaceService) -> list[CategoryOut]:
        return [CategoryOut(c.slug, c.name) for c in await marketplace.categories()]


class ExpertsController(Controller):
    path = "/v1/experts"
    tags = ["marketplace"]

    @get(operation_id="listExperts")
    async def list_experts(
        self,
        marketplace: MarketplaceService,
        optional_principal: Principal | None,
        q: Annotated[str | None, Parameter(max_length=200, description="Full-text search")] = None,
        category: Annotated[str | None, Parameter(max_length=40)] = None,
        min_price: Annotated[int | None, Parameter(ge=0, description="Minor units")] = None,
        max_price: Annotated[int | None, Parameter(ge=0, description="Minor units")] = None,
        currency: Annotated[str | None, Parameter(min_length=3, max_length=3)] = None,
        language: Annotated[str | None, Parameter(max_length=8, description="ISO 639-1 code")] = None,
        free_within_days: Annotated[
            int | None, Parameter(ge=1, le=62, description="Only experts with a free slot within N days")
        ] = None,
        free_from: Annotated[
            str | None,
            Parameter(description="RFC 3339; with free_to: only experts with a slot starting in [free_from, free_to)"),
        ] = None,
        free_to: Annotated[
            str | None, Parameter(description="RFC 3339; the directory knows free slots of the next 62 days")
        ] = None,
        sort: Annotated[
            ExpertSort | None,
            Parameter(description="Default: relevance with `q`, rating without. Soonest = next free slot"),
        ] = None,
        limit: Annotated[int, Parameter(ge=1, le=MAX_PAGE_SIZE)] = 20,
        cursor: PageCursor = None,
    ) -> ExpertListOut:
        """Listed experts, from the directory's indexes; follow `next_cursor` until it is null. Free-slot
        answers (`soonest`, `free_within_days`, `free_from`/`free_to`, each card's next free slot) may
        trail the experts' bookings by up to a minute; booking always checks the slot itself."""
        words = search_words(q)
        search = ExpertSearch(
            words=words,
            category=category,
            min_price=min_price,
            max_price=max_price,
            currency=currency.upper() if currency else None,
            language=language.lower() if language else None,
            free_within_days=free_within_days,
            free_from=parse_rfc3339(free_from, "free_from") if free_from is not None else None,
            free_to=parse_rfc3339(free_to, "free_to") if free_to is not None else None,
            sort=sort or (ExpertSort.RELEVANCE if words else ExpertSort.RATING),
            limit=limit,
        )
        viewer = optional_principal.user_id if optional_principal else None
        page = await marketplace.search(search, cursor, viewer)
        return ExpertListOut(
            items=[ExpertCardOut.of(item, avatar_url=page.avatar_urls.get(item.id)) for item in page.items],
            next_cursor=page.next_cursor,
        )

    @get("/{expert_id:uuid}", operation_id="getExpert")
    async def get_expert(
        self, expert_id: uuid.UUID, marketplace: MarketplaceService, optional_principal: Principal | None
    ) -> PublicExpertOut:
        viewer = optional_principal.user_id if optional_principal else None
        found = await marketplace.public_expert(expert_id, viewer)
        return PublicExpertOut.of(found.profile, found.areas, avatar_url=found.avatar_url, can_book=found.can_book)

    @get("/{expert_id:uuid}/slots", operation_id="listExpertSlots")
    async def list_slots(
        self,
        expert_id: uuid.UUID,
        slot_service: SlotService,
        area_id: uuid.UUID,
        optional_principal: Principal | None,
        window_from: Annotated[
            str | None, Parameter(query="from", description="RFC 3339 date-time; default now")
        ] = None,
        window_to: Annotated[
            str | None,
            Parameter(query="to", description="RFC 3339 date-time, at most 62 days after from; default from + 7 days"),
        ] = None,
        tz: Annotated[
            str | None, Parameter(max_length=64, description="IANA zone: adds by_local_date; instants unchanged")
        ] = None,
    ) -> SlotsOut:
        found = await slot_service.list_slots(
            expert_id,
            area_id,
            parse_rfc3339(window_from, "from") if window_from is not None else None,
            parse_rfc3339(window_to, "to") if window_to is not None else None,
            group_in=tz,
            viewer_id=optional_principal.user_id if optional_principal else None,
        )
        return SlotsOut.of(found)
