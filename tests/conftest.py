"""Fixtures shared by every test layer: a real PostgreSQL, settings, the app and an HTTP client."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from typing import Any

import msgspec
import pytest
from hypothesis import settings as hypothesis_settings
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings, load_settings
from procus.integrations.paystack import PaystackClient
from procus.integrations.storage import S3ObjectStorage
from procus.store.db import Database
from procus_devstack.storage_server import StorageServer, run_storage_server
from tests.support.database import build_template, clone_template, discard_test_server, reset_tables, start_test_server
from tests.support.fake_paystack import FakePaystackServer
from tests.support.fakes import FakeClock, FakeGoogleIdentity, RecordingMailSender
from tests.support.payments import PaystackRelay, paystack_client
from tests.support.payments import paystack_relay as start_paystack_relay
from tests.support.storage import s3_storage

# Property tests are not performance targets (bench/ has those): on a busy machine one example may
# take longer than Hypothesis's default 200 ms deadline, which is not a failure of the property.
hypothesis_settings.register_profile("procus", deadline=None)
hypothesis_settings.load_profile("procus")

_SERVER_ENV = "PROCUS_TEST_SERVER_URL"


def pytest_configure(config: pytest.Config) -> None:
    """In the controlling process only: start the database server and build the migrated template."""
    if hasattr(config, "workerinput"):
        return
    url, server = start_test_server()
    config._procus_pg = server  # type: ignore[attr-defined]
    os.environ[_SERVER_ENV] = url
    asyncio.run(build_template(url))


def pytest_unconfigure(config: pytest.Config) -> None:
    server = getattr(config, "_procus_pg", None)
    if server is not None:
        discard_test_server(server)


@pytest.fixture(scope="session")
def worker_id_safe(request: pytest.FixtureRequest) -> str:
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


@pytest.fixture(scope="session")
async def database_url(worker_id_safe: str) -> str:
    return await clone_template(os.environ[_SERVER_ENV], f"procus_test_{worker_id_safe}_{os.getpid()}")


@pytest.fixture(scope="session")
def settings_factory(database_url: str) -> Any:
    def make(**overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "app_env": "test",
            "database_url": database_url,
            "bcrypt_cost": 4,
            "log_json": False,
            "log_level": "WARNING",
            "rate_limit_global_per_minute": 100_000,
            "rate_limit_auth_per_minute": 100_000,
            "db_pool_max": 20,
        }
        base.update(overrides)
        return load_settings({}, **base)

    return make


@pytest.fixture(scope="session")
def settings(settings_factory: Any) -> Settings:
    return settings_factory()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
async def session_db(settings: Settings) -> AsyncIterator[Database]:
    db = await Database.connect(settings.database_url, max_size=20)
    yield db
    await db.close()


@pytest.fixture
async def db(session_db: Database) -> AsyncIterator[Database]:
    """The worker's database, emptied after the test."""
    yield session_db
    async with session_db.connection() as conn:
        await reset_tables(conn)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def google() -> FakeGoogleIdentity:
    return FakeGoogleIdentity()


@pytest.fixture
def mail() -> RecordingMailSender:
    return RecordingMailSender()


@pytest.fixture(scope="session")
def paystack_relay() -> Iterator[PaystackRelay]:
    """One fake Paystack per test session (per xdist worker) on a free loopback port; refunds and
    transfers stay pending until a test settles them; its webhooks wait in a loopback receiver
    until a test forwards them (``PaystackRelay``)."""
    with start_paystack_relay() as relay:
        yield relay


@pytest.fixture(scope="session")
def fake_paystack(paystack_relay: PaystackRelay) -> FakePaystackServer:
    return paystack_relay.fake


@pytest.fixture
async def paystack(fake_paystack: FakePaystackServer) -> AsyncIterator[PaystackClient]:
    """Our real Paystack client on the fake; injected faults are cleared afterwards."""
    async with paystack_client(fake_paystack) as client:
        yield client
    await fake_paystack.clear_faults()


@pytest.fixture(scope="session")
def storage_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StorageServer]:
    """One real S3 server per test session (per xdist worker) on a free loopback port, its data in a
    temporary folder."""
    with run_storage_server(tmp_path_factory.mktemp("storage") / "data") as server:
        yield server


@pytest.fixture
async def storage(storage_server: StorageServer) -> AsyncIterator[S3ObjectStorage]:
    """Our S3 client on the test server's bucket."""
    storage = s3_storage(storage_server)
    yield storage
    await storage.aclose()


@pytest.fixture
async def integrations(
    clock: FakeClock,
    google: FakeGoogleIdentity,
    mail: RecordingMailSender,
    fake_paystack: FakePaystackServer,
    storage: S3ObjectStorage,
) -> AsyncIterator[Integrations]:
    """The outside world for app tests: a controllable clock, the real Paystack client on the fake
    Paystack, the real S3 client on the test's S3 server; other parts as their tests decide."""
    payments = paystack_client(fake_paystack)
    yield Integrations(clock=clock, google=google, mail=mail, payments=payments, storage=storage)
    await payments.aclose()
    await fake_paystack.clear_faults()


@pytest.fixture
async def app(settings: Settings, db: Database, integrations: Integrations) -> Litestar:
    return create_app(settings, integrations)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app) as test_client:
        yield test_client


def replace(settings: Settings, **changes: Any) -> Settings:
    return msgspec.structs.replace(settings, **changes)
