"""A booking service over the real database with a fake escrow, and a bookable expert."""

from __future__ import annotations

import datetime as dt

import pytest

from procus.domain.cancellation import RefundPolicy
from procus.services.bookings import BookingPolicy, BookingService
from procus.services.idempotency import IdempotencyService
from procus.services.notices.bookings import BookingLinks, BookingNotices
from procus.store.db import Database
from tests.support.bookings import BookableExpert, bookable_expert
from tests.support.fakes import FakeClock, FakeEscrow

PUBLIC_URL = "http://127.0.0.1:8000"


@pytest.fixture
def escrow() -> FakeEscrow:
    return FakeEscrow()


@pytest.fixture
def policy() -> BookingPolicy:
    return BookingPolicy(
        platform_fee_bps=1000,
        answer_within=dt.timedelta(hours=24),
        unpaid_within=dt.timedelta(minutes=30),
        refunds=RefundPolicy(),
    )


def make_service(db: Database, clock: FakeClock, escrow: FakeEscrow, policy: BookingPolicy) -> BookingService:
    links = BookingLinks(PUBLIC_URL)
    return BookingService(db, clock, escrow, IdempotencyService(db, clock), BookingNotices(links, clock), links, policy)


@pytest.fixture
def bookings(db: Database, clock: FakeClock, escrow: FakeEscrow, policy: BookingPolicy) -> BookingService:
    return make_service(db, clock, escrow, policy)


@pytest.fixture
async def expert(db: Database) -> BookableExpert:
    return await bookable_expert(db)
