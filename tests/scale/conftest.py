"""The scale-out shape as one module-wide fixture: Redis, two LiveKit nodes on it, two ``procus serve``
and two ``procus worker`` processes on one fresh PostgreSQL database, mail to a real SMTP server."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
import pytest

from procus.store.db import Database
from tests.support.cluster import Cluster, ClusterOptions, run_cluster
from tests.support.database import clone_template, swap_database
from tests.support.payments import PaystackRelay
from tests.support.smtp_server import SmtpTestServer, start_smtp_server

__all__ = ["AUTH_LIMIT", "MAX_STREAMS", "ScaleOut", "scale_out"]

AUTH_LIMIT = 12
"""Requests per minute one address may send to /v1/auth/* (the test's setup sends fewer from 127.0.0.1)."""
MAX_STREAMS = 3


@dataclass(frozen=True)
class ScaleOut:
    cluster: Cluster
    db: Database
    """The test's own pool on the database every process shares."""
    smtp: SmtpTestServer
    relay: PaystackRelay


@pytest.fixture(scope="module")
async def scale_out(
    tmp_path_factory: pytest.TempPathFactory, database_url: str, paystack_relay: PaystackRelay
) -> AsyncIterator[ScaleOut]:
    name = f"procus_scale_{secrets.token_hex(4)}"
    shared_url = await clone_template(database_url, name)
    smtp = await start_smtp_server()
    # Each mail takes a moment, as it would over a network, so no one worker drains a batch of jobs alone.
    smtp.answer_delay = 0.05
    environment = {
        "APP_ENV": "test",
        "DATABASE_URL": shared_url,
        "DB_POOL_MAX": "5",
        "JWT_SECRET": secrets.token_urlsafe(32),
        "BCRYPT_COST": "4",
        "LOG_JSON": "false",
        "LOG_LEVEL": "WARNING",
        # Behind a load balancer: the caller is the address it appended to X-Forwarded-For.
        "TRUST_PROXY_HEADERS": "true",
        "TRUSTED_PROXY_HOPS": "1",
        "RATE_LIMIT_GLOBAL_PER_MINUTE": "100000",
        "RATE_LIMIT_AUTH_PER_MINUTE": str(AUTH_LIMIT),
        "MAX_STREAMS_PER_USER": str(MAX_STREAMS),
        # Bookings are made two days ahead; their calls may be joined at once.
        "CALL_JOIN_EARLY_SECONDS": str(3 * 24 * 3600),
        "PAYSTACK_BASE_URL": paystack_relay.fake.base_url,
        "PAYSTACK_SECRET_KEY": paystack_relay.fake.secret_key,
        "SMTP_HOST": smtp.host,
        "SMTP_PORT": str(smtp.port),
        "WORKER_BATCH_SIZE": "2",
    }
    options = ClusterOptions(environment=environment)
    db = await Database.connect(shared_url, max_size=5)
    try:
        with contextlib.ExitStack() as stack:
            log_dir = tmp_path_factory.mktemp("scale-out")
            cluster = await asyncio.to_thread(stack.enter_context, run_cluster(log_dir, options))
            try:
                yield ScaleOut(cluster=cluster, db=db, smtp=smtp, relay=paystack_relay)
            finally:
                await asyncio.to_thread(stack.close)
    finally:
        await db.close()
        await smtp.stop()
        admin = await asyncpg.connect(swap_database(shared_url, "postgres"))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
