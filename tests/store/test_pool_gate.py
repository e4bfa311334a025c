"""The gate in front of the pool: connections go to requests in the order they asked."""

from __future__ import annotations

import asyncio

import pytest

from procus.config import Settings
from procus.store.db import Database
from procus.store.pool_gate import PoolGate


async def _queue(gate: PoolGate, order: list[str], names: list[str]) -> list[asyncio.Task[None]]:
    async def wait_turn(name: str) -> None:
        async with gate:
            order.append(name)
            await asyncio.sleep(0)

    tasks = [asyncio.create_task(wait_turn(name)) for name in names]
    await asyncio.sleep(0)
    return tasks


async def test_a_released_place_goes_to_the_oldest_waiter_not_to_whoever_asks_next() -> None:
    gate = PoolGate(1)
    order: list[str] = []
    await gate.acquire()
    waiters = await _queue(gate, order, ["first", "second", "third"])
    assert gate.waiting == 3
    gate.release()
    await gate.acquire()  # the releasing holder asks again at once: it must queue, not overtake
    order.append("holder again")
    gate.release()
    await asyncio.gather(*waiters)
    assert order == ["first", "second", "third", "holder again"]
    assert gate.waiting == 0


async def test_a_cancelled_waiter_loses_its_turn_and_keeps_no_place() -> None:
    gate = PoolGate(1)
    order: list[str] = []
    await gate.acquire()
    first, second = await _queue(gate, order, ["first", "second"])
    first.cancel()
    await asyncio.sleep(0)
    gate.release()
    await second
    assert order == ["second"]
    await asyncio.wait_for(gate.acquire(), timeout=1)  # the place came back


async def test_a_waiter_cancelled_after_it_was_handed_a_place_passes_it_on() -> None:
    gate = PoolGate(1)
    order: list[str] = []
    await gate.acquire()
    first, second = await _queue(gate, order, ["first", "second"])
    gate.release()  # hands the place to "first", which has not run yet
    first.cancel()
    with pytest.raises(asyncio.CancelledError):
        await first
    await second
    assert order == ["second"]
    await asyncio.wait_for(gate.acquire(), timeout=1)


async def test_places_beyond_the_first_are_free_until_all_are_taken() -> None:
    gate = PoolGate(3)
    for _ in range(3):
        await asyncio.wait_for(gate.acquire(), timeout=1)
    blocked = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0.01)
    assert not blocked.done()
    gate.release()
    await asyncio.wait_for(blocked, timeout=1)


def test_a_gate_needs_a_place() -> None:
    with pytest.raises(ValueError, match="at least one place"):
        PoolGate(0)


async def test_database_connections_go_to_earlier_waiters_before_later_arrivals(settings: Settings) -> None:
    """Requests that arrive while a released connection is on its way to a waiter queue behind it.

    asyncpg's own queue lets an arrival that runs between the release and the woken waiter take
    the connection, and sends the waiter to the back of the line. The late arrivals here ask at
    every offset of up to eight loop steps after the release, so one of them lands in that gap.
    """
    db = await Database.connect(settings.database_url, min_size=1, max_size=1)
    order: list[str] = []
    released = asyncio.Event()

    async def use(name: str, steps_after_release: int | None = None) -> None:
        if steps_after_release is not None:
            await released.wait()
            for _ in range(steps_after_release):
                await asyncio.sleep(0)
        async with db.connection() as conn:
            order.append(name)
            await conn.fetchval("SELECT 1")

    try:
        async with db.connection():
            waiters = [asyncio.create_task(use(f"waiter {n}")) for n in range(3)]
            late = [asyncio.create_task(use(f"late {steps}", steps)) for steps in range(8)]
            await asyncio.sleep(0.05)
            assert db.waiting == 3
            released.set()
        await asyncio.gather(*waiters, *late)
    finally:
        await db.close()
    assert order[:3] == ["waiter 0", "waiter 1", "waiter 2"]
