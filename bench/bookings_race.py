"""Benchmark: many clients racing for a few slots of one expert, through the real booking service.

Starts an embedded PostgreSQL in a temporary data directory, migrates it, seeds one listed expert
open around the clock (45-minute calls, 15-minute buffer after) and ``--clients`` verified clients,
then lets every client request one of ``--slots`` hourly slots at once (client ``i`` wants slot
``i % slots``) through ``BookingService.request``: the slot engine's re-check, the exclusion
constraint and the real escrow on the fake Paystack (run in-process on loopback: each checkout is
prepared over HTTP before the booking's transaction, its payment row written in it; the expert
hears of a request only once it is paid, so no notice here), each request in its own transaction
on a pool of ``--pool`` connections. Prints successes, conflicts, p50/p99 latency and throughput,
then checks over the whole tables that no two active bookings overlap for the expert or for any
client. Run with ``just bench-bookings``; the seeding and checks are the booking tests' own
(``tests/support``).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from procus.domain.errors import Conflict
from procus.integrations.paystack import PaystackClient
from procus.services.bookings import BookingPolicy, BookingRequest, BookingService
from procus.services.idempotency import IdempotencyService
from procus.services.notices.bookings import BookingLinks, BookingNotices
from procus.services.payments import EscrowService, PaymentNotices
from procus.services.ports.clock import SystemClock
from procus.store.db import Database

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.support

from tests.support.bookings import (
    bookable_expert,
    insert_client,
    overlapping_active_calls,
    overlapping_active_holds,
    principal,
    slot_start,
)
from tests.support.database import build_template, clone_template, discard_test_server, start_test_server
from tests.support.fake_paystack import FakePaystackServer
from tests.support.payments import paystack_client

PUBLIC_URL = "http://127.0.0.1:8000"
CALL_MINUTES = 45
BUFFER_AFTER = 15


def booking_service(db: Database, gateway: PaystackClient) -> BookingService:
    """Bookings on the real escrow, wired as ``procus.bootstrap`` wires them."""
    clock = SystemClock()
    links = BookingLinks(PUBLIC_URL)
    notices = BookingNotices(links, clock)
    payment_notices = PaymentNotices(notices, PUBLIC_URL)
    escrow = EscrowService(db, clock, gateway, payment_notices, callback_url=f"{PUBLIC_URL}/payments/callback")
    return BookingService(db, clock, escrow, IdempotencyService(db, clock), notices, links, BookingPolicy())


async def race(server_url: str, paystack: FakePaystackServer, *, clients: int, slots: int, pool: int) -> None:
    await build_template(server_url)
    db = await Database.connect(await clone_template(server_url, "procus_bench"), min_size=pool, max_size=pool)
    gateway = paystack_client(paystack)
    service = booking_service(db, gateway)
    latencies: list[float] = []
    try:
        expert = await bookable_expert(db, duration=CALL_MINUTES, buffer_after=BUFFER_AFTER)
        client_ids = [await insert_client(db) for _ in range(clients)]
        starts = [slot_start(dt.datetime.now(dt.UTC), hour=0) + dt.timedelta(hours=index) for index in range(slots)]

        async def attempt(index: int, client_id: uuid.UUID) -> str:
            request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=starts[index % slots])
            began = time.perf_counter()
            try:
                await service.requests.request(principal(client_id), request)
                outcome = "created"
            except Conflict as conflict:
                outcome = conflict.code
            latencies.append(time.perf_counter() - began)
            return outcome

        began = time.perf_counter()
        outcomes = Counter(await asyncio.gather(*(attempt(i, c) for i, c in enumerate(client_ids))))
        elapsed = time.perf_counter() - began
        overlapping_holds = await overlapping_active_holds(db)
        overlapping_calls = await overlapping_active_calls(db)
        async with db.connection() as conn:
            active = await conn.fetchval("SELECT count(*) FROM bookings WHERE status = 'pending'")
            payments = await conn.fetchval("SELECT count(*) FROM payments WHERE status = 'pending'")
    finally:
        await gateway.aclose()
        await db.close()

    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    print(f"{clients} clients racing for {slots} slots of one expert (pool of {pool} connections)")
    print(f"  successes            {outcomes['created']:>8}")
    print(f"  conflicts (409)      {sum(n for code, n in outcomes.items() if code != 'created'):>8}  {dict(outcomes)}")
    print(f"  latency p50          {cuts[49] * 1000:>8.1f} ms")
    print(f"  latency p99          {cuts[98] * 1000:>8.1f} ms")
    print(f"  throughput           {clients / elapsed:>8.1f} requests/s ({elapsed:.2f} s in all)")
    print(f"  overlapping holds    {overlapping_holds:>8}")
    print(f"  overlapping calls    {overlapping_calls:>8}")
    assert overlapping_holds == 0, "two active holds of one person overlap"
    assert overlapping_calls == 0, "two active bookings overlap"
    assert outcomes["created"] == active == payments == min(slots, clients), "every slot must be booked exactly once"
    assert set(outcomes) <= {"created", "slot_taken"}, f"unexpected outcomes: {outcomes}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--slots", type=int, default=20)
    parser.add_argument("--pool", type=int, default=20)
    args = parser.parse_args()
    server_url, server = start_test_server()
    try:
        with FakePaystackServer() as paystack:
            logging.getLogger("httpx").setLevel(logging.WARNING)  # the fake's app logs at INFO once started
            asyncio.run(race(server_url, paystack, clients=args.clients, slots=args.slots, pool=args.pool))
    finally:
        if server is not None:
            discard_test_server(server)


if __name__ == "__main__":
    main()
