"""The asyncpg pool and the transaction boundary that services own.

Store modules are plain async functions taking a :data:`Connection`; services open the
transaction (``async with db.transaction() as tx``) and pass ``tx`` down, so one business
operation is one transaction no matter how many store calls it makes.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal, TypeAlias

import asyncpg
import asyncpg.pool
import msgspec

from procus.domain.errors import ServiceUnavailable
from procus.store.pool_gate import PoolGate

__all__ = ["Connection", "Database", "IsolationLevel", "create_pool"]

Connection: TypeAlias = "asyncpg.pool.PoolConnectionProxy[asyncpg.Record] | asyncpg.Connection[asyncpg.Record]"
IsolationLevel = Literal["read_committed", "repeatable_read", "serializable"]

_json_encoder = msgspec.json.Encoder()

CONNECT_TIMEOUT_SECONDS = 5.0
"""How long opening a connection may take before the caller is told the database is unavailable."""

# The server went away under a connection: shut down, restarting, or the socket closed mid-query.
_CONNECTION_LOST: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.PostgresConnectionError,
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.ConnectionDoesNotExistError,
)


# A connection left unusable: its server went away, or (seen when the server dies mid-setup) asyncpg's
# protocol state for it is inconsistent. Either way it must not go back into the pool.
_BROKEN: tuple[type[BaseException], ...] = (*_CONNECTION_LOST, asyncpg.exceptions.InternalClientError)
# No connection could be opened: refused, reset, unreachable, too slow, or one of the above.
_NO_CONNECTION: tuple[type[BaseException], ...] = (OSError, TimeoutError, *_BROKEN)


def _unavailable() -> ServiceUnavailable:
    return ServiceUnavailable("database_unavailable", "The database is unavailable right now; try again shortly")


def _broke(conn: Connection, exc: Exception) -> bool:
    """Whether ``exc`` means ``conn`` is unusable (rather than a query's own failure)."""
    return isinstance(exc, _BROKEN) or (isinstance(exc, asyncpg.exceptions.InterfaceError) and _closed(conn))


def _closed(conn: Connection) -> bool:
    try:
        return conn.is_closed()
    except asyncpg.exceptions.InterfaceError:  # detached: asyncpg already gave the dead connection back
        return True


def _discarded(conn: Connection) -> ServiceUnavailable:
    """Close ``conn`` for good (the pool opens a fresh one in its place) and say the database is unavailable."""
    with contextlib.suppress(asyncpg.exceptions.InterfaceError):  # already given back and closed by the pool
        conn.terminate()
    return _unavailable()


async def _init_connection(conn: asyncpg.Connection[Any]) -> None:
    for pg_type in ("json", "jsonb"):
        await conn.set_type_codec(
            pg_type,
            encoder=lambda value: _json_encoder.encode(value).decode(),
            decoder=msgspec.json.decode,
            schema="pg_catalog",
        )


async def _keep_session(conn: asyncpg.Connection[Any]) -> None:
    """Skip asyncpg's per-release ``RESET ALL; UNLISTEN *; ...`` round trip.

    asyncpg still ends any open transaction itself. We never change session state on pooled
    connections: no SET, no LISTEN (the notification channel has its own connection) and only
    transaction-scoped advisory locks, so there is nothing to reset and one round trip per
    request to save.
    """


async def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool[asyncpg.Record]:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        init=_init_connection,
        reset=_keep_session,
        server_settings={"timezone": "UTC", "application_name": "procus"},
        command_timeout=30,
        timeout=CONNECT_TIMEOUT_SECONDS,
    )
    assert pool is not None
    return pool


class Database:
    """The pool plus the two ways to use it: a transaction or a plain connection.

    Both wait their turn at a :class:`PoolGate`, so connections go to requests in arrival order.
    """

    def __init__(self, pool: asyncpg.Pool[asyncpg.Record]) -> None:
        self.pool = pool
        self._gate = PoolGate(pool.get_max_size())

    @classmethod
    async def connect(cls, dsn: str, *, min_size: int = 1, max_size: int = 10) -> Database:
        return cls(await create_pool(dsn, min_size=min_size, max_size=max_size))

    @asynccontextmanager
    async def transaction(self, isolation: IsolationLevel = "read_committed") -> AsyncIterator[Connection]:
        async with self._held() as conn, conn.transaction(isolation=isolation):
            yield conn

    @asynccontextmanager
    async def connection(self, reuse: Connection | None = None) -> AsyncIterator[Connection]:
        """A pooled connection, or ``reuse`` when the caller already holds one (e.g. its transaction)."""
        if reuse is not None:
            yield reuse
            return
        async with self._held() as conn:
            yield conn

    @asynccontextmanager
    async def _held(self) -> AsyncIterator[Connection]:
        """A connection in turn at the gate. Losing the server becomes :class:`ServiceUnavailable`
        (503 to a caller, a retry for a job): a broken connection is discarded, and the pool opens
        fresh ones once the server is back."""
        async with self._gate:
            try:
                conn = await self.pool.acquire()
            except _NO_CONNECTION as exc:
                raise _unavailable() from exc
            try:
                yield conn
            except Exception as exc:
                if _broke(conn, exc):
                    raise _discarded(conn) from exc
                raise
            finally:
                # A connection that died after its work was done is the pool's to replace, not the caller's error.
                with contextlib.suppress(*_BROKEN):
                    await self.pool.release(conn)

    @property
    def in_use(self) -> int:
        return int(self.pool.get_size() - self.pool.get_idle_size())

    @property
    def waiting(self) -> int:
        """Requests queued at the gate for a connection."""
        return self._gate.waiting

    @property
    def size(self) -> int:
        return int(self.pool.get_size())

    async def close(self) -> None:
        await self.pool.close()
