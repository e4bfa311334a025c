"""Idempotency-Key: the reusable service, and POST /v1/bookings through it."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import msgspec
import pytest

from procus.domain.errors import Conflict, InvalidInput
from procus.services.bookings import BookingRequest, BookingService
from procus.services.idempotency import IdempotencyService, Recorder, fingerprint
from procus.store import idempotency as idempotency_store
from procus.store.db import Database
from tests.support.bookings import BookableExpert, insert_client, principal, slot_start
from tests.support.fakes import FakeClock


class Payout(msgspec.Struct, frozen=True):
    amount: int


class Made(msgspec.Struct, frozen=True):
    id: uuid.UUID
    at: dt.datetime


@pytest.fixture
def idempotency(db: Database, clock: FakeClock) -> IdempotencyService:
    return IdempotencyService(db, clock)


class Counter:
    """An operation that makes something in its own transaction and records its result there."""

    def __init__(self, db: Database, clock: FakeClock) -> None:
        self.db = db
        self.clock = clock
        self.runs = 0
        self.gate: asyncio.Event | None = None
        self.fail_after_record = False

    async def __call__(self, record: Recorder) -> Made:
        self.runs += 1
        if self.gate is not None:
            await self.gate.wait()
        made = Made(uuid.uuid4(), self.clock.now())
        async with self.db.transaction() as tx:
            await record(tx, made)
            if self.fail_after_record:
                raise RuntimeError("crash before commit")
        return made


async def _run(idempotency: IdempotencyService, user: uuid.UUID, key: str | None, body: Payout, op: Counter) -> Made:
    outcome = await idempotency.run(
        user_id=user, scope="payouts.create", key=key, request=body, result_type=Made, operation=op
    )
    return outcome.result


async def test_the_same_key_and_body_replays_the_first_result(
    db: Database, clock: FakeClock, idempotency: IdempotencyService
) -> None:
    user, op = await insert_client(db), Counter(db, clock)
    first = await idempotency.run(
        user_id=user, scope="payouts.create", key="k-1", request=Payout(5), result_type=Made, operation=op
    )
    clock.advance(hours=23)
    again = await idempotency.run(
        user_id=user, scope="payouts.create", key="k-1", request=Payout(5), result_type=Made, operation=op
    )
    assert (first.replayed, again.replayed) == (False, True)
    assert again.result == first.result
    assert op.runs == 1


async def test_the_same_key_with_another_body_is_refused(
    db: Database, clock: FakeClock, idempotency: IdempotencyService
) -> None:
    user, op = await insert_client(db), Counter(db, clock)
    await _run(idempotency, user, "k-2", Payout(5), op)
    with pytest.raises(InvalidInput) as caught:
        await _run(idempotency, user, "k-2", Payout(6), op)
    assert caught.value.code == "idempotency_key_reused"
    other_user = await insert_client(db)
    await _run(idempotency, other_user, "k-2", Payout(6), op)
    assert op.runs == 2


async def test_a_concurrent_request_with_the_same_key_does_not_run(
    db: Database, clock: FakeClock, idempotency: IdempotencyService
) -> None:
    user, op = await insert_client(db), Counter(db, clock)
    op.gate = asyncio.Event()
    first = asyncio.create_task(_run(idempotency, user, "k-3", Payout(5), op))
    while op.runs == 0:
        await asyncio.sleep(0.01)
    with pytest.raises(Conflict) as caught:
        await _run(idempotency, user, "k-3", Payout(5), op)
    assert caught.value.code == "idempotency_in_progress"
    op.gate.set()
    made = await first
    assert await _run(idempotency, user, "k-3", Payout(5), op) == made
    assert op.runs == 1


async def test_a_failed_operation_stores_nothing_and_frees_the_key(
    db: Database, clock: FakeClock, idempotency: IdempotencyService
) -> None:
    user, op = await insert_client(db), Counter(db, clock)
    op.fail_after_record = True
    with pytest.raises(RuntimeError):
        await _run(idempotency, user, "k-4", Payout(5), op)
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM idempotency_keys") == 0
    op.fail_after_record = False
    await _run(idempotency, user, "k-4", Payout(7), op)
    assert op.runs == 2


async def test_keys_expire_after_a_day(db: Database, clock: FakeClock, idempotency: IdempotencyService) -> None:
    user, op = await insert_client(db), Counter(db, clock)
    await _run(idempotency, user, "k-5", Payout(5), op)
    clock.advance(hours=24)
    await _run(idempotency, user, "k-5", Payout(9), op)
    assert op.runs == 2
    clock.advance(hours=24)
    assert await idempotency.purge_expired() == 1


async def test_an_abandoned_claim_is_taken_over_after_its_lease(
    db: Database, clock: FakeClock, idempotency: IdempotencyService
) -> None:
    user, op = await insert_client(db), Counter(db, clock)
    async with db.connection() as conn:  # a claim whose process died before its operation committed
        await idempotency_store.claim(
            conn,
            user_id=user,
            scope="payouts.create",
            key="k-6",
            fingerprint=fingerprint(Payout(5)),
            now=clock.now(),
            expires_at=clock.now() + dt.timedelta(hours=24),
            stale_before=clock.now(),
        )
    with pytest.raises(Conflict) as caught:
        await _run(idempotency, user, "k-6", Payout(5), op)
    assert caught.value.code == "idempotency_in_progress"
    clock.advance(minutes=3)
    await _run(idempotency, user, "k-6", Payout(5), op)
    assert op.runs == 1


async def test_keys_must_be_visible_ascii(db: Database, clock: FakeClock, idempotency: IdempotencyService) -> None:
    user, op = await insert_client(db), Counter(db, clock)
    for bad in ("", "has space", "x" * 256, "é"):
        with pytest.raises(InvalidInput) as caught:
            await _run(idempotency, user, bad, Payout(5), op)
        assert caught.value.code == "invalid_idempotency_key"
    assert op.runs == 0


async def test_without_a_key_every_call_runs(db: Database, clock: FakeClock, idempotency: IdempotencyService) -> None:
    user, op = await insert_client(db), Counter(db, clock)
    await _run(idempotency, user, None, Payout(5), op)
    await _run(idempotency, user, None, Payout(5), op)
    assert op.runs == 2


async def test_booking_requests_replay_with_the_same_key(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    client = principal(await insert_client(db))
    request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=slot_start(clock.now()))
    first = await bookings.requests.request(client, request, idempotency_key="book-1")
    again = await bookings.requests.request(client, request, idempotency_key="book-1")
    assert again.replayed
    assert again.result == first.result
    later = msgspec.structs.replace(request, start=request.start + dt.timedelta(hours=2))
    with pytest.raises(InvalidInput) as caught:
        await bookings.requests.request(client, later, idempotency_key="book-1")
    assert caught.value.code == "idempotency_key_reused"
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM bookings") == 1


async def test_concurrent_booking_requests_with_one_key_make_one_booking(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    client = principal(await insert_client(db))
    request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=slot_start(clock.now()))

    async def attempt() -> str:
        try:
            outcome = await bookings.requests.request(client, request, idempotency_key="same")
        except Conflict as conflict:
            return conflict.code
        return "replayed" if outcome.replayed else "created"

    results = await asyncio.gather(*(attempt() for _ in range(10)))

    assert results.count("created") == 1
    assert set(results) <= {"created", "replayed", "idempotency_in_progress"}
    async with db.connection() as conn:
        assert await conn.fetchval("SELECT count(*) FROM bookings") == 1
