"""Benchmark: the marketplace under a realistic mix, 50 concurrent users for 60 s, then its invariants.

Starts the whole app as ``procus serve`` and ``procus worker`` run it, next to an embedded PostgreSQL
(temporary data directory, migrated), the real ``livekit-server`` (``.bin/``, free loopback ports,
its webhooks sent to the app), the fake Paystack (``python -m procus_devstack.fake_paystack``, its
signed webhooks sent to the app) and the mail catcher, each its own process on loopback. Seeds a
marketplace through the API (``--experts`` experts in ten time zones with one to three areas, weekly
hours and a payout account, approved by an admin; ``--users`` clients), then runs ``--users``
virtual users for ``--duration`` seconds, each thinking ``--think`` seconds (on average) between
steps. Each round a user either browses (directory, a full-text search, a profile, a week of
slots) or, with ``--buy-share``, books: slots, ``POST /v1/bookings`` (the app prepares the checkout
with the real Paystack client), the checkout page of the fake and Pay (the fake then posts its
signed ``charge.success`` to the app), reads the booking until it is paid, the expert accepts,
both ask for a call token (the app creates the room on livekit-server), both join (the signed
``participant_joined`` webhooks LiveKit would send, posted to the app; no media), the client ends
the call (the app closes the room on livekit-server) and the expert withdraws what is available
(the worker submits the transfer, the fake settles it and posts ``transfer.success``).

Per operation: count, throughput, p50/p95/p99 and errors. A 409 that is a business outcome of
contention (``slot_taken`` when two users want one slot, ``insufficient_balance`` when one expert's
two payouts race) is counted apart, not as an error. The fake Paystack records how long it took
to answer each API request (by reference), so writes are also shown without the fake's own time;
the webhook rows come from the fake's delivery log (how long the app took to answer each).

Afterwards, with the worker caught up: no two active bookings overlap for any expert or client,
each payment is applied exactly once (one hold per paid payment, one release per completed call,
each payout requested and paid once), and the ledger verifies (``LedgerAuditor``, what
``procus ledger verify`` runs). Exits 1 on any error or broken invariant. The figures come with the
machine's load average and the server's configuration. Run with ``just bench-load``; a smoke
check: ``just bench-load --duration 10 --users 10``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import msgspec

from procus.config import PROJECT_ROOT
from procus.migrate import migrate
from procus.services.payments import LedgerAuditor
from procus.store.db import Database
from procus_devstack.embedded_postgres import EmbeddedPostgres, free_port
from slots_http import _cpu_ms, _postgres_pids, serve_command

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.support

from tests.support.bookings import overlapping_active_calls, overlapping_active_holds
from tests.support.calls import livekit_event, sign_webhook
from tests.support.livekit_server import run_livekit_server

READ_TARGET_MS = 100.0
WRITE_TARGET_MS = 300.0
PAYSTACK_KEY = "sk_test_procus_load_bench"
VIDEO_KEY = "load-bench-key"
VIDEO_SECRET = "load-bench-secret-of-at-least-32-characters"
DB_POOL_MAX = 10
SEARCH_WORDS = ("tax", "startup", "career", "contracts", "fitness", "design", "python", "visa", "marketing", "exam")
ZONES = (
    "Africa/Lagos", "Europe/London", "America/New_York", "Asia/Kolkata", "Asia/Tokyo",
    "Australia/Sydney", "America/Los_Angeles", "Europe/Berlin", "Africa/Nairobi", "America/Sao_Paulo",
)  # fmt: skip
TOPICS = (
    ("Tax return review", "finance", "tax returns for freelancers"),
    ("Startup legal check", "legal", "contracts and incorporation for startups"),
    ("Career coaching", "career", "career moves and salary talks"),
    ("Fitness plan", "health", "fitness plans that fit a busy week"),
    ("Portfolio review", "design", "design portfolios and brand work"),
    ("Python code review", "technology", "python code reviews and architecture"),
    ("Visa paperwork", "lifestyle", "visa applications and moving abroad"),
    ("Growth marketing audit", "marketing", "marketing campaigns and growth"),
    ("Exam tutoring", "education", "exam preparation in maths and physics"),
    ("Business plan session", "business", "business plans and pricing"),
)
ACCOUNT = {"bank_code": "057", "account_number": "0000000000", "name": "Load Expert", "currency": "NGN"}
READS = ("directory", "search", "profile", "slots", "booking", "balance")
WRITES = ("book", "accept", "call token", "joined (webhook)", "end call", "payout")
WEBHOOKS = ("charge.success (webhook)", "transfer.success (webhook)")
FAKE_ONLY = ("checkout page (fake)", "pay (fake)")
EXPECTED = {"book": {"slot_taken"}, "payout": {"insufficient_balance"}}
"""409 codes that are business outcomes of contention, not errors."""


# ---------------------------------------------------------------------------------------------------
# Recording


@dataclass
class Sample:
    ms: float
    reference: str | None = None
    """A Paystack reference the request caused the app to use, to subtract the fake's own time."""


@dataclass
class Operation:
    samples: list[Sample] = field(default_factory=list)
    expected: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    first_error: str = ""


class Recorder:
    def __init__(self) -> None:
        self.ops: dict[str, Operation] = defaultdict(Operation)

    def ok(self, name: str, ms: float, reference: str | None = None) -> None:
        self.ops[name].samples.append(Sample(ms, reference))

    def expected(self, name: str, code: str) -> None:
        self.ops[name].expected[code] += 1

    def error(self, name: str, what: str, detail: str) -> None:
        op = self.ops[name]
        op.errors[what] += 1
        op.first_error = op.first_error or f"{what}: {detail[:300]}"


class Failed(Exception):
    """A request answered with an error (recorded already): the user gives up this round."""


class Api:
    """One aiohttp session on loopback; every request is timed and recorded under its operation."""

    def __init__(self, session: aiohttp.ClientSession, base: str, recorder: Recorder) -> None:
        self.session = session
        self.base = base
        self.recorder = recorder

    async def call(
        self,
        op: str,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        json: Any = None,
        data: Any = None,
        params: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201),
        reference_of: Any = None,
    ) -> tuple[int, Any]:
        """(status, body); raises ``Failed`` unless ``ok`` or an expected 409 (then the body has ``code``)."""
        target = url if url.startswith("http") else self.base + url
        began = time.perf_counter()
        try:
            async with self.session.request(
                method, target, headers=headers, json=json, data=data, params=params, allow_redirects=False
            ) as response:
                raw = await response.read()
                status = response.status
                kind = response.content_type
        except (aiohttp.ClientError, TimeoutError) as exc:
            self.recorder.error(op, type(exc).__name__, repr(exc))
            raise Failed from exc
        ms = (time.perf_counter() - began) * 1000
        body: Any = raw
        if kind.endswith("json") and raw:
            body = msgspec.json.decode(raw)
        if status in ok:
            self.recorder.ok(op, ms, reference_of(body) if reference_of else None)
            return status, body
        code = body.get("code", "") if isinstance(body, dict) else ""
        if status == 409 and code in EXPECTED.get(op, ()):
            self.recorder.expected(op, code)
            return status, body
        self.recorder.error(op, f"{status} {code}".strip(), raw.decode(errors="replace"))
        raise Failed(f"{op}: {method} {url} answered {status}: {raw[:300].decode(errors='replace')}")


# ---------------------------------------------------------------------------------------------------
# The marketplace


@dataclass
class Expert:
    id: str
    headers: dict[str, str]
    areas: list[tuple[str, int]]
    """(area id, minutes)"""


@dataclass
class Market:
    experts: list[Expert]
    clients: list[dict[str, str]]
    admin: dict[str, str]


def _bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def _account(api: Api, db: Database, role: str, name: str, zone: str) -> tuple[str, dict[str, str]]:
    """Register through the API, confirm the email in the database (the mail link is tested elsewhere)."""
    email = f"{role}-{uuid.uuid4().hex[:10]}@load.example"
    body = {"email": email, "password": "load bench password", "full_name": name, "role": role, "time_zone": zone}
    _, registered = await api.call("seed", "POST", "/v1/auth/register", json=body, ok=(200, 201, 202))
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET email_verified_at = now() WHERE email = $1", email)
    if not isinstance(registered, dict) or "access_token" not in registered:
        login = {"email": email, "password": body["password"]}
        _, registered = await api.call("seed", "POST", "/v1/auth/login", json=login)
    return registered["user"]["id"], _bearer(registered)


async def _expert(api: Api, db: Database, admin: dict[str, str], n: int) -> Expert:
    zone = ZONES[n % len(ZONES)]
    expert_id, headers = await _account(api, db, "expert", f"Expert {n}", zone)
    title, category, about = TOPICS[n % len(TOPICS)]
    profile = {"headline": f"{title} with {about}", "bio": f"I help with {about}.", "published": True}
    await api.call("seed", "PATCH", "/v1/experts/me/profile", json=profile, headers=headers)
    areas = []
    for k in range(1 + n % 3):
        topic, area_category, _ = TOPICS[(n + k) % len(TOPICS)]
        minutes = (30, 45, 60)[(n + k) % 3]
        area = {
            "title": topic,
            "category": area_category if k else category,
            "price": {"amount": (50 + 25 * ((n + k) % 7)) * 100_00 // 10, "currency": "NGN"},
            "duration_minutes": minutes,
        }
        _, created = await api.call("seed", "POST", "/v1/experts/me/areas", json=area, headers=headers)
        areas.append((created["id"], minutes))
    start = 7 + n % 4
    days = range(7) if n % 4 == 0 else range(5)
    hours = {
        "time_zone": zone,
        "rules": [{"weekday": d, "start": f"{start:02d}:00", "end": f"{start + 9:02d}:00"} for d in days],
        "overrides": [],
        "settings": {"min_notice_minutes": 0, "buffer_after_minutes": (0, 5, 10)[n % 3]},
    }
    await api.call("seed", "PUT", "/v1/experts/me/availability", json=hours, headers=headers)
    await api.call(
        "seed", "POST", f"/v1/admin/experts/{expert_id}/approval", json={"status": "approved"}, headers=admin
    )
    await api.call("seed", "PUT", "/v1/payouts/accounts", json=ACCOUNT, headers=headers)
    return Expert(expert_id, headers, areas)


async def seed(api: Api, db: Database, experts: int, clients: int) -> Market:
    admin_id, admin = await _account(api, db, "client", "Platform Admin", "UTC")
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET role = 'admin' WHERE id = $1", uuid.UUID(admin_id))
    made = []
    for first in range(0, experts, 5):
        made += await asyncio.gather(*(_expert(api, db, admin, n) for n in range(first, min(first + 5, experts))))
    people = await asyncio.gather(
        *(_account(api, db, "client", f"Client {n}", ZONES[(n * 3) % len(ZONES)]) for n in range(clients))
    )
    async with asyncio.timeout(60):  # the worker computes the directory's free time for each new expert
        while await db_value(db, "SELECT count(*) FROM directory_refresh_queue"):
            await asyncio.sleep(0.2)
    return Market(made, [headers for _, headers in people], admin)


async def db_value(db: Database, query: str, *args: Any) -> Any:
    async with db.connection() as conn:
        return await conn.fetchval(query, *args)


# ---------------------------------------------------------------------------------------------------
# Virtual users


class User:
    def __init__(self, api: Api, market: Market, headers: dict[str, str], think: float, rng: random.Random) -> None:
        self.api = api
        self.market = market
        self.headers = headers
        self.think_mean = think
        self.rng = rng

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(0, 2 * self.think_mean))

    async def browse(self) -> Expert:
        """Directory, a search, a profile: the expert this user looks at."""
        sort = self.rng.choice(("rating", "price", "soonest"))
        await self.api.call("directory", "GET", "/v1/experts", params={"sort": sort})
        await self.think()
        _, found = await self.api.call("search", "GET", "/v1/experts", params={"q": self.rng.choice(SEARCH_WORDS)})
        await self.think()
        ids = {e.id for e in self.market.experts}
        listed = [item["id"] for item in found.get("items", []) if item["id"] in ids]
        expert_id = self.rng.choice(listed) if listed else self.rng.choice(self.market.experts).id
        await self.api.call("profile", "GET", f"/v1/experts/{expert_id}")
        await self.think()
        return next(e for e in self.market.experts if e.id == expert_id)

    async def slots(self, expert: Expert, area_id: str) -> list[str]:
        now = dt.datetime.now(dt.UTC)
        since = now + dt.timedelta(days=self.rng.randrange(0, 21))
        window = {"area_id": area_id, "from": since.isoformat(), "to": (since + dt.timedelta(days=7)).isoformat()}
        _, body = await self.api.call("slots", "GET", f"/v1/experts/{expert.id}/slots", params=window)
        return list(body["slots"])

    async def round(self, buy: bool) -> None:
        expert = await self.browse()
        area_id, _ = self.rng.choice(expert.areas)
        free = await self.slots(expert, area_id)
        await self.think()
        if buy and free:
            await self.buy(expert, area_id, self.rng.choice(free[:24]))

    async def buy(self, expert: Expert, area_id: str, start: str) -> None:
        api, client = self.api, self.headers
        wanted = {"expert_id": expert.id, "area_id": area_id, "start": start}
        status, created = await api.call(
            "book", "POST", "/v1/bookings", json=wanted, headers=client, reference_of=_checkout_reference
        )
        if status == 409:
            return
        booking_id = created["booking"]["id"]
        await self.think()
        _, page = await api.call("checkout page (fake)", "GET", created["checkout"]["authorization_url"])
        code = re.search(rb'/checkout/([^/"]+)/pay', page)
        assert code is not None, "the fake's checkout page has no Pay form"
        pay_url = created["checkout"]["authorization_url"].rsplit("/", 1)[0] + f"/{code[1].decode()}/pay"
        await api.call("pay (fake)", "POST", pay_url, data={"card": "4084084084084081"}, ok=(200, 303))
        await self.paid(booking_id)
        await self.think()
        await api.call("accept", "POST", f"/v1/bookings/{booking_id}/accept", headers=expert.headers)
        await self.think()
        joins = []
        for who, headers in (("client", client), ("expert", expert.headers)):
            _, joined = await api.call("call token", "POST", f"/v1/calls/{booking_id}/token", headers=headers)
            joins.append((who, joined))
        for _, joined in joins:
            await self.joined(joined["room"], joined["identity"])
        await self.think()
        await api.call("end call", "POST", f"/v1/calls/{booking_id}/end", headers=client)
        await self.think()
        await self.withdraw(expert)

    async def paid(self, booking_id: str) -> None:
        """The payer is back from the checkout; the page reads the booking until the payment is in."""
        async with asyncio.timeout(30):
            while True:
                _, booking = await self.api.call("booking", "GET", f"/v1/bookings/{booking_id}", headers=self.headers)
                if booking["payment_status"] not in (None, "pending"):
                    return
                await asyncio.sleep(0.1)

    async def joined(self, room: str, identity: str) -> None:
        """What livekit-server posts when a participant connects: signed with the API key's secret."""
        now = dt.datetime.now(dt.UTC)
        body = livekit_event("participant_joined", room, now, identity=identity, session=f"PA_{uuid.uuid4().hex[:12]}")
        headers = {"Authorization": sign_webhook(body, key=VIDEO_KEY, secret=VIDEO_SECRET)}
        headers["Content-Type"] = "application/webhook+json"
        await self.api.call("joined (webhook)", "POST", "/v1/webhooks/livekit", data=body, headers=headers)

    async def withdraw(self, expert: Expert) -> None:
        _, balances = await self.api.call("balance", "GET", "/v1/payouts/balance", headers=expert.headers)
        available = sum(b["available"] for b in balances if b["currency"] == "NGN")
        if available >= 100_00:
            payout = {"amount": available}
            await self.api.call("payout", "POST", "/v1/payouts", json=payout, headers=expert.headers)

    async def run(self, until: float, buy_share: float) -> None:
        await asyncio.sleep(self.rng.uniform(0, self.think_mean))  # users arrive spread out
        while time.monotonic() < until:
            with contextlib.suppress(Failed):
                await self.round(buy=self.rng.random() < buy_share)


def _checkout_reference(body: Any) -> str | None:
    return body["checkout"]["reference"] if isinstance(body, dict) and "checkout" in body else None


# ---------------------------------------------------------------------------------------------------
# Afterwards: the fake's timings, quiescence and the invariants


async def fake_get(session: aiohttp.ClientSession, base: str, path: str) -> Any:
    async with session.get(f"{base}/_fake{path}") as response:
        response.raise_for_status()
        return await response.json()


async def settled(db: Database, session: aiohttp.ClientSession, fake: str, limit: float = 90) -> None:
    """Wait until every webhook is answered, every payout is paid and no job is left to run."""
    async with asyncio.timeout(limit):
        while True:
            deliveries = await fake_get(session, fake, "/webhooks")
            pending = sum(d["state"] == "pending" for d in deliveries)
            moving = await db_value(db, "SELECT count(*) FROM payouts WHERE status IN ('pending', 'processing')")
            jobs = await db_value(db, "SELECT count(*) FROM pgqueuer WHERE execute_after <= now()")
            if not pending and not moving and not jobs:
                return
            await asyncio.sleep(0.5)


PAYMENT_APPLICATIONS = """
SELECT p.reference, p.status::text AS status, b.status::text AS booking,
       count(*) FILTER (WHERE e.kind = 'hold') AS holds,
       count(*) FILTER (WHERE e.kind = 'release') AS releases
FROM payments p JOIN bookings b ON b.id = p.booking_id LEFT JOIN ledger_entries e ON e.payment_id = p.id
GROUP BY p.id, b.status
"""
PAYOUT_APPLICATIONS = """
SELECT p.id, p.status::text AS status,
       count(*) FILTER (WHERE e.kind = 'payout_requested') AS requested,
       count(*) FILTER (WHERE e.kind = 'payout_paid') AS paid
FROM payouts p LEFT JOIN ledger_entries e ON e.payout_id = p.id GROUP BY p.id
"""
RECEIVED = ("held", "released", "refunded", "partially_refunded")


async def invariants(db: Database, paid_at_fake: set[str]) -> list[str]:
    """Every broken invariant, described; an empty list when the books and the calendar are right."""
    problems = []
    if overlaps := await overlapping_active_calls(db):
        problems.append(f"{overlaps} pairs of active bookings overlap (expert with buffers, or client)")
    if overlaps := await overlapping_active_holds(db):
        problems.append(f"{overlaps} pairs of active time holds of one person overlap")
    async with db.connection() as conn:
        payments = await conn.fetch(PAYMENT_APPLICATIONS)
        payouts = await conn.fetch(PAYOUT_APPLICATIONS)
    for row in payments:
        holds_wanted = 1 if row["status"] in RECEIVED else 0
        releases_wanted = 1 if row["booking"] == "completed" else 0
        if row["holds"] != holds_wanted or row["releases"] != releases_wanted:
            problems.append(
                f"payment {row['reference']} ({row['status']}, booking {row['booking']}): {row['holds']} holds and"
                f" {row['releases']} releases in the ledger, expected {holds_wanted} and {releases_wanted}"
            )
        if (row["reference"] in paid_at_fake) != (row["status"] in RECEIVED):
            at_paystack = "paid" if row["reference"] in paid_at_fake else "not paid"
            problems.append(f"payment {row['reference']} is {row['status']} here and {at_paystack} at Paystack")
    if unknown := paid_at_fake - {row["reference"] for row in payments}:
        problems.append(f"{len(unknown)} payments made at Paystack are unknown here, e.g. {min(unknown)}")
    for row in payouts:
        if row["requested"] != 1 or row["paid"] != (1 if row["status"] == "paid" else 0):
            problems.append(f"payout {row['id']} ({row['status']}): {row['requested']} requested, {row['paid']} paid")
    problems += [f"ledger: {problem}" for problem in await LedgerAuditor(db).verify()]
    return problems


# ---------------------------------------------------------------------------------------------------
# Figures


def waited_ms(pids: list[int]) -> float:
    """Time the processes' threads were ready to run but waited for a CPU (``/proc/PID/task/*/schedstat``)."""
    total = 0
    for pid in pids:
        for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                total += int(stat.read_text().split()[1])
    return total / 1e6


def percentile(ordered: list[float], share: float) -> float:
    """Nearest rank."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else float("nan")


@dataclass
class Row:
    name: str
    kind: str
    count: int
    rate: float
    p50: float
    p95: float
    p99: float
    p99_without_fake: float | None
    expected: Counter[str]
    errors: int


def rows(recorder: Recorder, fake_ms: dict[str, float], seconds: float) -> list[Row]:
    result = []
    for name in (*READS, *WRITES, *WEBHOOKS, *FAKE_ONLY):
        op = recorder.ops.get(name, Operation())
        total = sorted(s.ms for s in op.samples)
        kind = "read" if name in READS else "fake" if name in FAKE_ONLY else "write"
        without = None
        if kind == "write":
            without = percentile(sorted(s.ms - fake_ms.get(s.reference or "", 0.0) for s in op.samples), 0.99)
        result.append(
            Row(
                name,
                kind,
                len(total),
                len(total) / seconds,
                percentile(total, 0.5),
                percentile(total, 0.95),
                percentile(total, 0.99),
                without,
                op.expected,
                sum(op.errors.values()),
            )
        )
    return result


def print_figures(table: list[Row], recorder: Recorder, seconds: float, context: dict[str, str]) -> bool:
    """The table and the verdicts; True when the targets are met."""
    print()
    for key, value in context.items():
        print(f"{key:<22}{value}")
    print()
    print(f"{'operation':<28}{'kind':<7}{'count':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}", end="")
    print(f"{'p99 w/o fake':>14}{'errors':>8}  expected 409s")
    for row in table:
        without = f"{row.p99_without_fake:>14.1f}" if row.p99_without_fake is not None else f"{'':>14}"
        print(
            f"{row.name:<28}{row.kind:<7}{row.count:>7}{row.rate:>8.1f}{row.p50:>9.1f}{row.p95:>9.1f}{row.p99:>9.1f}"
            f"{without}{row.errors:>8}  {dict(row.expected) if row.expected else ''}"
        )
    app_rows = [r for r in table if r.kind != "fake"]
    requests = sum(r.count for r in app_rows) + sum(sum(r.expected.values()) for r in app_rows)
    errors = sum(r.errors for r in table)
    print(f"\nthroughput: {requests / seconds:.1f} requests/s to the app over {seconds:.0f} s; errors: {errors}")
    for name, op in recorder.ops.items():
        if op.errors:
            print(f"  errors in {name}: {dict(op.errors)}; first: {op.first_error}")
    reads = [r for r in table if r.kind == "read" and r.count]
    writes = [r for r in table if r.kind == "write" and r.count]
    worst_read = max(reads, key=lambda r: r.p99)
    worst_write = max(writes, key=lambda r: r.p99_without_fake or 0.0)
    read_ok = worst_read.p99 < READ_TARGET_MS
    write_ok = (worst_write.p99_without_fake or 0.0) < WRITE_TARGET_MS
    print(
        f"reads:  worst p99 {worst_read.p99:.1f} ms ({worst_read.name}); target < {READ_TARGET_MS:.0f} ms:"
        f" {'ok' if read_ok else 'MISSED'}"
    )
    print(
        f"writes: worst p99 without the fake Paystack's time {worst_write.p99_without_fake:.1f} ms"
        f" ({worst_write.name}); target < {WRITE_TARGET_MS:.0f} ms: {'ok' if write_ok else 'MISSED'}"
    )
    print(f"errors: {errors}; target 0: {'ok' if errors == 0 else 'MISSED'}")
    return read_ok and write_ok and errors == 0


# ---------------------------------------------------------------------------------------------------
# Running it


@contextlib.contextmanager
def stack(root: Path, profile: Path | None) -> Iterator[tuple[str, str, str, dict[str, int]]]:
    """PostgreSQL, livekit-server, mail, the fake Paystack, the app and the worker on loopback:
    yields (app URL, fake Paystack URL, database URL, pids by process)."""
    server = EmbeddedPostgres(root / "postgres", free_port(), fast=True)
    server.start()
    try:
        database_url = server.database_url("procus_load")
        migrate(database_url, PROJECT_ROOT / "migrations")
        app_port, fake_port, mail_port = free_port(), free_port(), free_port()
        app_url, fake_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{fake_port}"
        with run_livekit_server(
            root / "livekit", webhook_url=f"{app_url}/v1/webhooks/livekit", key=VIDEO_KEY, secret=VIDEO_SECRET
        ) as livekit:
            env = {
                **os.environ,
                "APP_ENV": "test",
                "DATABASE_URL": database_url,
                "DB_POOL_MAX": str(DB_POOL_MAX),
                "PUBLIC_URL": app_url,
                "DATA_DIR": str(root / "data"),
                "LOG_LEVEL": "WARNING",
                "RATE_LIMIT_GLOBAL_PER_MINUTE": "1000000000",
                "RATE_LIMIT_AUTH_PER_MINUTE": "1000000000",
                # Every virtual user signs in from 127.0.0.1 at once; real ones come from many addresses.
                "LOGIN_MAX_FAILURES_PER_ADDRESS": "1000000",
                "BCRYPT_COST": "4",
                "ACCESS_TOKEN_TTL_SECONDS": "7200",
                "PAYSTACK_BASE_URL": fake_url,
                "PAYSTACK_SECRET_KEY": PAYSTACK_KEY,
                "LIVEKIT_URL": livekit.url,
                "LIVEKIT_API_URL": livekit.api_url,
                "LIVEKIT_API_KEY": VIDEO_KEY,
                "LIVEKIT_API_SECRET": VIDEO_SECRET,
                "CALL_JOIN_EARLY_SECONDS": str(40 * 24 * 3600),
                "DISPUTE_WINDOW_SECONDS": "0",
                "SMTP_HOST": "127.0.0.1",
                "SMTP_PORT": str(mail_port),
            }
            procus = str(Path(sys.executable).with_name("procus"))
            python = sys.executable
            fake = [
                python, "-m", "procus_devstack.fake_paystack", "--port", str(fake_port), "--secret-key", PAYSTACK_KEY,
                "--webhook-url", f"{app_url}/v1/webhooks/paystack", "--settle-seconds", "0.5",
                "--log-level", "warning", "--keep-requests", "1000000",
            ]  # fmt: skip
            app = [procus, "serve", "--host", "127.0.0.1", "--port", str(app_port), "--workers", "1"]
            worker = [procus, "worker"]
            stop = signal.SIGTERM
            if profile is not None:  # uvicorn raises the signal again once stopped: SIGINT lets cProfile write
                profile.mkdir(parents=True, exist_ok=True)
                app = [python, "-m", "cProfile", "-o", str(profile / "app.prof"), *app]
                worker = [python, "-m", "cProfile", "-o", str(profile / "worker.prof"), *worker]
                stop = signal.SIGINT
            with (
                serve_command(
                    [python, "-m", "procus_devstack.mail_capture"], mail_port, env, log=root / "mail.log"
                ) as mail_pid,
                serve_command(fake, fake_port, env, log=root / "paystack.log") as fake_pid,
                serve_command(app, app_port, env, stop_signal=stop) as app_pid,
            ):
                worker_process = subprocess.Popen(worker, env=env, cwd=PROJECT_ROOT)
                try:
                    pids = {
                        "app": app_pid,
                        "worker": worker_process.pid,
                        "fake Paystack": fake_pid,
                        "livekit-server": livekit.process.pid,
                        "mail": mail_pid,
                        "load generator": os.getpid(),
                    }
                    yield app_url, fake_url, database_url, pids
                finally:
                    worker_process.send_signal(stop)
                    worker_process.wait(timeout=30)
    finally:
        server.stop()


async def measure(args: argparse.Namespace, app: str, fake: str, database_url: str, pids: dict[str, int]) -> int:
    db = await Database.connect(database_url, max_size=4)
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=3)  # under the server's 5 s keep-alive
    timeout = aiohttp.ClientTimeout(total=30)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            seeding = Recorder()
            began = time.perf_counter()
            market = await seed(Api(session, app, seeding), db, args.experts, args.users)
            if seeding.ops["seed"].errors:
                raise RuntimeError(f"seeding failed: {seeding.ops['seed'].first_error}")
            print(f"seeded {args.experts} experts and {args.users} clients in {time.perf_counter() - began:.1f} s")

            recorder = Recorder()
            api = Api(session, app, recorder)
            rng = random.Random(args.seed)
            users = [
                User(api, market, market.clients[i], args.think, random.Random(rng.random())) for i in range(args.users)
            ]
            postgres = Path(args.root) / "postgres"
            cpu_before = {name: _cpu_ms([pid]) for name, pid in pids.items()}
            postgres_before = _cpu_ms(_postgres_pids(postgres))
            waited_before = {name: waited_ms([pid]) for name, pid in pids.items()}
            waited_before["postgres"] = waited_ms(_postgres_pids(postgres))
            load_before = os.getloadavg()
            started = time.monotonic()
            await asyncio.gather(*(u.run(started + args.duration, args.buy_share) for u in users))
            seconds = time.monotonic() - started
            load_after = os.getloadavg()
            cpu = {name: _cpu_ms([pid]) - cpu_before[name] for name, pid in pids.items()}
            cpu["postgres"] = _cpu_ms(_postgres_pids(postgres)) - postgres_before
            waited = {name: waited_ms([pid]) - waited_before[name] for name, pid in pids.items()}
            waited["postgres"] = waited_ms(_postgres_pids(postgres)) - waited_before["postgres"]

            await settled(db, session, fake)
            requests = await fake_get(session, fake, "/requests")
            deliveries = await fake_get(session, fake, "/webhooks")
            fake_ms: dict[str, float] = defaultdict(float)
            verify_ms: dict[str, float] = defaultdict(float)
            for record in requests:
                if record["reference"] and record["path"] == "/transaction/initialize":
                    fake_ms[record["reference"]] += record["elapsed_ms"]
                elif record["reference"] and record["path"].startswith("/transaction/verify/"):
                    verify_ms[record["reference"]] += record["elapsed_ms"]
            paid_at_fake = set()
            for delivery in deliveries:
                name = f"{delivery['event']} (webhook)"
                reference = str(delivery["payload"]["data"].get("reference"))
                if delivery["event"] == "charge.success":
                    paid_at_fake.add(reference)
                for attempt, ms in zip(delivery["attempts"], delivery["attempt_ms"], strict=True):
                    if attempt == "200":
                        recorder.ok(name, ms, f"verify:{reference}")
                    else:
                        recorder.error(name, attempt, delivery["payload"]["event"])
            fake_ms.update({f"verify:{ref}": ms for ref, ms in verify_ms.items()})

            context = {
                "load": f"{args.users} users, think {args.think} s on average, {args.buy_share:.0%} of rounds book;"
                f" {seconds:.0f} s",
                "machine": f"{os.cpu_count()} CPUs shared with other work; load average before"
                f" {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f}",
                "app": f"procus serve, 1 uvicorn worker (uvloop, httptools), pool of {DB_POOL_MAX} connections;"
                " procus worker x1",
                "CPU s used": ", ".join(
                    f"{name} {ms / 1000:.1f}" for name, ms in sorted(cpu.items(), key=lambda i: -i[1])
                ),
            }
            served = sum(len(op.samples) + sum(op.expected.values()) for name, op in recorder.ops.items())
            served -= sum(len(recorder.ops[name].samples) for name in FAKE_ONLY)
            context["CPU ms per request"] = (
                ", ".join(f"{name} {cpu[name] / served:.2f}" for name in ("app", "postgres", "worker"))
                + f" (over the {served} requests the app answered, webhooks included)"
            )
            context["waiting for a CPU"] = (
                ", ".join(f"{name} {waited[name] / served:.2f}" for name in ("app", "postgres", "worker"))
                + " ms per request (runnable but not running: the kernel's run-queue delay, /proc/*/schedstat)"
            )
            met = print_figures(rows(recorder, fake_ms, seconds), recorder, seconds, context)

            problems = await invariants(db, paid_at_fake)
            async with db.connection() as conn:
                bookings = dict(await conn.fetch("SELECT status::text, count(*) FROM bookings GROUP BY 1"))
                payouts = dict(await conn.fetch("SELECT status::text, count(*) FROM payouts GROUP BY 1"))
            print(f"\nbookings by status: {bookings}; payouts by status: {payouts}")
            print(f"invariants: {'ok' if not problems else f'{len(problems)} BROKEN'}")
            for problem in problems[:20]:
                print(f"  {problem}")
            errors = sum(sum(op.errors.values()) for op in recorder.ops.values())
            print(f"targets: {'met' if met else 'not met'}")
            return 1 if problems or errors else 0
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of load (60)")
    parser.add_argument("--users", type=int, default=50, help="concurrent virtual users, each a client (50)")
    parser.add_argument("--experts", type=int, default=20, help="experts in the marketplace (20)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a user's steps (1.0)")
    parser.add_argument("--buy-share", type=float, default=0.4, help="share of rounds that book and pay (0.4)")
    parser.add_argument("--seed", type=int, default=17, help="seed of the users' choices")
    parser.add_argument(
        "--profile",
        type=Path,
        help="run the app and the worker under cProfile, their stats written into this folder",
    )
    args = parser.parse_args()
    root = PROJECT_ROOT / ".data"
    root.mkdir(exist_ok=True)
    args.root = tempfile.mkdtemp(prefix="bench-load-", dir=root)
    try:
        with stack(Path(args.root), args.profile) as (app, fake, database_url, pids):
            code = asyncio.run(measure(args, app, fake, database_url, pids))
    finally:
        shutil.rmtree(args.root, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
