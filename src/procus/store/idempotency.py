"""Idempotency-Key records: claim a key, then complete it in the operation's own transaction.

A claim is a committed ``in_progress`` row carrying a fresh ``token``. The operation completes it
(state ``completed`` plus the stored result) inside its business transaction, and only while the
token still matches, so a stored result always describes a change that committed. A claim whose
operation crashed holds no committed change and may be taken over once its lease ran out; a
record past ``expires_at`` is reusable as if new.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from procus.store.db import Connection

__all__ = ["IdempotencyRecord", "claim", "complete", "get_record", "purge_expired", "release"]

CLAIM = """
INSERT INTO idempotency_keys (user_id, scope, key, fingerprint, token, state, claimed_at, expires_at)
VALUES ($1, $2, $3, $4, $5, 'in_progress', $6, $7)
ON CONFLICT (user_id, scope, key) DO UPDATE SET
    fingerprint = EXCLUDED.fingerprint, token = EXCLUDED.token, state = 'in_progress', result = NULL,
    claimed_at = EXCLUDED.claimed_at, expires_at = EXCLUDED.expires_at
WHERE idempotency_keys.expires_at <= EXCLUDED.claimed_at
   OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.claimed_at <= $8
       AND idempotency_keys.fingerprint = EXCLUDED.fingerprint)
RETURNING token
"""
SELECT_RECORD = """
SELECT fingerprint, state, result FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3
"""
COMPLETE = """
UPDATE idempotency_keys SET state = 'completed', result = $5
WHERE user_id = $1 AND scope = $2 AND key = $3 AND token = $4 AND state = 'in_progress'
"""
RELEASE = "DELETE FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3 AND token = $4"
PURGE_EXPIRED = "DELETE FROM idempotency_keys WHERE expires_at <= $1"


class IdempotencyRecord(msgspec.Struct, frozen=True, kw_only=True):
    fingerprint: bytes
    state: str
    result: Any


async def claim(
    conn: Connection,
    *,
    user_id: uuid.UUID,
    scope: str,
    key: str,
    fingerprint: bytes,
    now: dt.datetime,
    expires_at: dt.datetime,
    stale_before: dt.datetime,
) -> uuid.UUID | None:
    """A token if this call now owns the key (new, expired, or an abandoned claim), else None."""
    token = uuid.uuid4()
    owned = await conn.fetchval(CLAIM, user_id, scope, key, fingerprint, token, now, expires_at, stale_before)
    return token if owned == token else None


async def get_record(conn: Connection, *, user_id: uuid.UUID, scope: str, key: str) -> IdempotencyRecord | None:
    row = await conn.fetchrow(SELECT_RECORD, user_id, scope, key)
    if row is None:
        return None
    return IdempotencyRecord(fingerprint=bytes(row["fingerprint"]), state=row["state"], result=row["result"])


async def complete(
    conn: Connection, *, user_id: uuid.UUID, scope: str, key: str, token: uuid.UUID, result: Any
) -> bool:
    """Store ``result``; False if the claim was lost (taken over after its lease)."""
    status = await conn.execute(COMPLETE, user_id, scope, key, token, result)
    return status == "UPDATE 1"


async def release(conn: Connection, *, user_id: uuid.UUID, scope: str, key: str, token: uuid.UUID) -> None:
    await conn.execute(RELEASE, user_id, scope, key, token)


async def purge_expired(conn: Connection, now: dt.datetime) -> int:
    status = await conn.execute(PURGE_EXPIRED, now)
    return int(status.rsplit(" ", 1)[-1])
