"""Idempotency-Key for money-moving POSTs, reusable by any service.

``run`` claims the key (a committed ``in_progress`` row), runs the operation, and lets it store its
result *inside its own transaction* through the ``record`` callback it is handed, so the stored
result and the change it describes commit together. Then:

* same key, same request: the first result again (``replayed=True``), without running anything;
* same key, another request: 422 ``idempotency_key_reused``;
* same key while the first is still running: 409 ``idempotency_in_progress``;
* the operation fails: the claim is released and the key may be retried;
* keys expire after ``ttl`` (24 h) and are then as good as new.

Keys are scoped per user and per operation (``scope``, e.g. ``"bookings.create"``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import msgspec

from procus.domain.errors import Conflict, InvalidInput
from procus.services.ports.clock import Clock
from procus.store import idempotency as store
from procus.store.db import Connection, Database

__all__ = ["IDEMPOTENCY_HEADER", "IdempotencyService", "Outcome", "Recorder", "fingerprint", "validate_key"]

IDEMPOTENCY_HEADER = "Idempotency-Key"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_CLAIM_ATTEMPTS = 3

T = TypeVar("T")
Recorder = Callable[[Connection, Any], Awaitable[None]]
"""``await record(tx, result)``: store the result in the operation's transaction, just before it commits."""


class Outcome(msgspec.Struct, Generic[T], frozen=True):
    result: T
    replayed: bool = False


def validate_key(key: str) -> str:
    if not _KEY.match(key):
        raise InvalidInput(
            "invalid_idempotency_key",
            "Idempotency-Key must be 1 to 255 visible ASCII characters",
            field=IDEMPOTENCY_HEADER,
        )
    return key


def fingerprint(request: Any) -> bytes:
    """What "the same request" means: the SHA-256 of its canonical JSON."""
    return hashlib.sha256(msgspec.json.encode(request, order="deterministic")).digest()


async def _no_record(tx: Connection, result: Any) -> None:
    return None


class IdempotencyService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        ttl: dt.timedelta = dt.timedelta(hours=24),
        lease: dt.timedelta = dt.timedelta(minutes=2),
    ) -> None:
        self._db = db
        self._clock = clock
        self._ttl = ttl
        self._lease = lease

    async def run(
        self,
        *,
        user_id: uuid.UUID,
        scope: str,
        key: str | None,
        request: Any,
        result_type: type[T],
        operation: Callable[[Recorder], Awaitable[T]],
    ) -> Outcome[T]:
        """Run ``operation(record)`` at most once per key; without a key, just run it."""
        if key is None:
            return Outcome(await operation(_no_record))
        key = validate_key(key)
        digest = fingerprint(request)
        token, replay = await self._claim(user_id, scope, key, digest)
        if token is None:
            return Outcome(msgspec.convert(replay, result_type), replayed=True)

        async def record(tx: Connection, result: Any) -> None:
            stored = msgspec.to_builtins(result)
            if not await store.complete(tx, user_id=user_id, scope=scope, key=key, token=token, result=stored):
                raise Conflict("idempotency_in_progress", "Another request with this Idempotency-Key took over")

        try:
            result = await operation(record)
        except BaseException:
            async with self._db.connection() as conn:
                await store.release(conn, user_id=user_id, scope=scope, key=key, token=token)
            raise
        return Outcome(result)

    async def purge_expired(self) -> int:
        async with self._db.connection() as conn:
            return await store.purge_expired(conn, self._clock.now())

    async def _claim(self, user_id: uuid.UUID, scope: str, key: str, digest: bytes) -> tuple[uuid.UUID | None, Any]:
        """Our claim token, or (None, the stored result) to replay; raises when neither is possible."""
        for _ in range(_CLAIM_ATTEMPTS):
            now = self._clock.now()
            async with self._db.connection() as conn:
                token = await store.claim(
                    conn,
                    user_id=user_id,
                    scope=scope,
                    key=key,
                    fingerprint=digest,
                    now=now,
                    expires_at=now + self._ttl,
                    stale_before=now - self._lease,
                )
                if token is not None:
                    return token, None
                record = await store.get_record(conn, user_id=user_id, scope=scope, key=key)
            if record is None:
                continue  # released between our two statements: claim again
            if record.fingerprint != digest:
                raise InvalidInput(
                    "idempotency_key_reused",
                    "This Idempotency-Key was used with a different request",
                    field=IDEMPOTENCY_HEADER,
                )
            if record.state != "completed":
                raise Conflict("idempotency_in_progress", "A request with this Idempotency-Key is still running")
            return None, record.result
        raise Conflict("idempotency_in_progress", "A request with this Idempotency-Key is still running")
