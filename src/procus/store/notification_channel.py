"""PostgreSQL LISTEN/NOTIFY for new notifications, so every API process learns about every commit.

:func:`publish` runs ``pg_notify`` in the creating transaction: PostgreSQL delivers it only on commit,
and never for a rollback. The payload is just ``"<user id>:<seq>"``; listeners re-read the table, so a
lost or coalesced NOTIFY delays an event but cannot drop one. :class:`ChannelListener` is the one
dedicated connection per process that LISTENs, checks itself and reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg

from procus.domain.errors import ServiceUnavailable
from procus.store.db import Connection

__all__ = ["CHANNEL", "ChannelListener", "parse_payload", "publish", "wake_streams"]

CHANNEL = "procus_notifications"
PUBLISH = "SELECT pg_notify($1, $2)"

log = logging.getLogger(__name__)
_CONNECTION_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


async def publish(conn: Connection, user_id: uuid.UUID, seq: int) -> None:
    await conn.execute(PUBLISH, CHANNEL, f"{user_id}:{seq}")


async def wake_streams(conn: Connection, user_id: uuid.UUID) -> None:
    """Wake the user's open streams on every process without a new notification (seq 0), so that
    they re-check the account, e.g. right after a suspension commits."""
    await publish(conn, user_id, 0)


def parse_payload(payload: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(payload.partition(":")[0])
    except ValueError:
        return None


class ChannelListener:
    """LISTEN on :data:`CHANNEL` over its own connection (never a pooled one).

    ``on_message`` gets each payload; ``on_connected`` runs after every (re)connection, because
    notifications sent while we were not listening are gone and subscribers must re-read the table.
    """

    def __init__(
        self,
        dsn: str,
        on_message: Callable[[str], None],
        on_connected: Callable[[], None],
        *,
        check_every: float = 10.0,
        max_backoff: float = 10.0,
    ) -> None:
        self._dsn = dsn
        self._on_message = on_message
        self._on_connected = on_connected
        self._check_every = check_every
        self._max_backoff = max_backoff
        self._task: asyncio.Task[None] | None = None
        self._start_lock = asyncio.Lock()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Connect and start listening; ``ServiceUnavailable`` if the database cannot be reached right now."""
        async with self._start_lock:
            if self.running:
                return
            try:
                connection = await self._connect()
            except _CONNECTION_ERRORS as exc:
                raise ServiceUnavailable("notifications_unavailable", "Live notifications are unavailable") from exc
            self._task = asyncio.create_task(self._supervise(connection), name="procus-notification-listener")

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _connect(self) -> asyncpg.Connection[Any]:
        connection: asyncpg.Connection[Any] = await asyncpg.connect(
            self._dsn, server_settings={"application_name": "procus-listen"}, timeout=10
        )
        await connection.add_listener(CHANNEL, self._relay)
        self._on_connected()
        return connection

    def _relay(self, connection: Any, pid: int, channel: str, payload: object) -> None:
        if isinstance(payload, str):
            self._on_message(payload)

    async def _supervise(self, connection: asyncpg.Connection[Any]) -> None:
        try:
            while True:
                await self._watch(connection)
                connection.terminate()
                connection = await self._reconnect()
        finally:
            connection.terminate()

    async def _watch(self, connection: asyncpg.Connection[Any]) -> None:
        """Return when the connection is found dead (a silent TCP drop shows only when we talk)."""
        while True:
            await asyncio.sleep(self._check_every)
            try:
                await connection.fetchval("SELECT 1", timeout=self._check_every)
            except _CONNECTION_ERRORS as exc:
                log.warning("notification listener lost its connection", extra={"error": repr(exc)})
                return

    async def _reconnect(self) -> asyncpg.Connection[Any]:
        delay = 0.5
        while True:
            await asyncio.sleep(delay)
            try:
                return await self._connect()
            except _CONNECTION_ERRORS as exc:
                log.warning("notification listener cannot reconnect", extra={"error": repr(exc)})
                delay = min(delay * 2, self._max_backoff)
