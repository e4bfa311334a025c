"""Expert profile rules, admin approval, and areas only their expert may change."""

from __future__ import annotations

import uuid

import pytest

from procus.domain.accounts import Role
from procus.domain.admin_audit import AdminActor
from procus.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from procus.domain.experts import MAX_ACTIVE_AREAS, ApprovalStatus
from procus.services.accounts.avatars import AvatarService
from procus.services.admin.experts import AdminExpertService
from procus.services.experts.areas import AreaChanges, AreaService
from procus.services.experts.directory_index import DirectoryIndex
from procus.services.experts.marketplace import MarketplaceService
from procus.services.experts.profiles import ExpertProfileService
from procus.store.db import Database
from tests.support.experts import as_principal, insert_admin, insert_area, insert_expert
from tests.support.fakes import FakeClock


async def test_profile_update_validates_and_normalises(db: Database, clock: FakeClock) -> None:
    service = ExpertProfileService(db, clock)
    expert = as_principal(await insert_expert(db, headline="", published=False, approval="pending"))
    profile = await service.update_own_profile(
        expert,
        headline="  Tax lawyer  ",
        bio="Ten years in practice.",
        languages=["EN", "yo", "en"],
        time_zone="Africa/Lagos",
    )
    assert (profile.headline, profile.languages, profile.time_zone) == ("Tax lawyer", ("en", "yo"), "Africa/Lagos")
    assert not profile.listed

    with pytest.raises(InvalidInput) as bad_language:
        await service.update_own_profile(expert, languages=["en", "english"])
    assert (bad_language.value.code, bad_language.value.field) == ("invalid_language", "languages[1]")
    with pytest.raises(InvalidInput) as bad_zone:
        await service.update_own_profile(expert, time_zone="Mars/Olympus")
    assert bad_zone.value.field == "time_zone"
    with pytest.raises(InvalidInput) as long_headline:
        await service.update_own_profile(expert, headline="x" * 161)
    assert long_headline.value.field == "headline"


async def test_publishing_needs_a_headline_and_listing_needs_approval(db: Database, clock: FakeClock) -> None:
    service = ExpertProfileService(db, clock)
    expert_id = await insert_expert(db, headline="", published=False, approval="pending")
    expert = as_principal(expert_id)
    with pytest.raises(Conflict) as incomplete:
        await service.update_own_profile(expert, published=True)
    assert incomplete.value.code == "profile_incomplete"
    assert not (await service.own_profile(expert)).published

    published = await service.update_own_profile(expert, headline="Career coach", published=True)
    assert published.published
    assert not published.listed

    admin = AdminActor(principal=as_principal(await insert_admin(db), Role.ADMIN))
    decisions = AdminExpertService(db, clock)
    with pytest.raises(PermissionDenied):
        AdminActor(principal=expert)
    with pytest.raises(InvalidInput):
        await decisions.decide_approval(admin, expert_id, ApprovalStatus.PENDING)
    with pytest.raises(NotFound):
        await decisions.decide_approval(admin, uuid.uuid4(), ApprovalStatus.APPROVED)

    rejected = await decisions.decide_approval(admin, expert_id, ApprovalStatus.REJECTED, "Add your credentials")
    assert (rejected.approval, rejected.approval_reason, rejected.listed) == ("rejected", "Add your credentials", False)
    assert rejected.approval_decided_at == clock.now()
    approved = await decisions.decide_approval(admin, expert_id, ApprovalStatus.APPROVED)
    assert approved.listed
    assert approved.approval_reason == ""


async def test_area_creation_rules(db: Database) -> None:
    service = AreaService(db)
    expert = as_principal(await insert_expert(db))
    base = {
        "title": "Contract review",
        "description": "",
        "category": "legal",
        "price_amount": 150_00,
        "currency": "NGN",
        "duration_minutes": 45,
    }
    area = await service.create(expert, **base)  # type: ignore[arg-type]
    assert (area.price.amount, area.price.currency, area.duration_minutes, area.active) == (150_00, "NGN", 45, True)

    cases = [
        ({"duration_minutes": 50}, "invalid_duration", "duration_minutes"),
        ({"duration_minutes": 255}, "invalid_duration", "duration_minutes"),
        ({"category": "astrology"}, "unknown_category", "category"),
        ({"price_amount": 0}, "invalid_price", "price.amount"),
        ({"currency": "XYZ"}, "unsupported_currency", "price.currency"),
        ({"title": "   "}, "invalid_title", "title"),
    ]
    for change, code, field in cases:
        with pytest.raises(InvalidInput) as error:
            await service.create(expert, **{**base, **change})  # type: ignore[arg-type]
        assert (error.value.code, error.value.field) == (code, field), change
    with pytest.raises(PermissionDenied):
        await service.create(as_principal(expert.user_id, Role.CLIENT), **base)  # type: ignore[arg-type]


async def test_only_the_owner_changes_an_area_and_delete_only_deactivates(
    db: Database, clock: FakeClock, avatars: AvatarService
) -> None:
    service = AreaService(db)
    owner = as_principal(await insert_expert(db))
    intruder = as_principal(await insert_expert(db, full_name="Mallory"))
    area_id = await insert_area(db, owner.user_id, title="Python mentoring", price=80_00)

    for attempt in (
        service.update(intruder, area_id, AreaChanges(title="Mine now")),
        service.deactivate(intruder, area_id),
    ):
        with pytest.raises(NotFound) as hidden:
            await attempt
        assert hidden.value.code == "area_not_found"

    changed = await service.update(owner, area_id, AreaChanges(price_amount=95_00, duration_minutes=30))
    assert (changed.title, changed.price.amount, changed.duration_minutes) == ("Python mentoring", 95_00, 30)
    await service.deactivate(owner, area_id)
    history = await service.list_own(owner)
    assert [(a.id, a.active) for a in history] == [(area_id, False)]
    public = await MarketplaceService(db, clock, avatars, DirectoryIndex(db, clock)).public_expert(owner.user_id)
    assert public.areas == []


async def test_active_areas_are_capped(db: Database) -> None:
    service = AreaService(db)
    expert = as_principal(await insert_expert(db))
    for index in range(MAX_ACTIVE_AREAS):
        await insert_area(db, expert.user_id, title=f"Area {index}")
    spare = await insert_area(db, expert.user_id, title="Spare", active=False)
    with pytest.raises(Conflict) as full:
        await service.create(
            expert,
            title="One more",
            description="",
            category="legal",
            price_amount=100,
            currency="NGN",
            duration_minutes=15,
        )
    assert full.value.code == "too_many_areas"
    with pytest.raises(Conflict):
        await service.update(expert, spare, AreaChanges(active=True))
