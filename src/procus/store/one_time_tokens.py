"""Single-use tokens sent by email (password reset, email verification); only their hash is stored."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.store.db import Connection

__all__ = ["consume_token", "insert_token", "last_issued", "lock_issuing", "retire_open_tokens"]

INSERT_TOKEN = """
INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at, expires_at)
VALUES ($1, $2, $3::one_time_token_purpose, $4, $5)
"""
CONSUME_TOKEN = """
UPDATE one_time_tokens SET used_at = $3
WHERE token_hash = $1 AND purpose = $2::one_time_token_purpose AND used_at IS NULL AND expires_at > $3
RETURNING user_id
"""

LOCK_ISSUING = "SELECT pg_advisory_xact_lock(hashtextextended('one_time_tokens:' || $1 || ':' || $2, 0))"
LAST_ISSUED = """
SELECT max(created_at) FROM one_time_tokens WHERE user_id = $1 AND purpose = $2::one_time_token_purpose
"""
RETIRE_OPEN = """
UPDATE one_time_tokens SET used_at = $3
WHERE user_id = $1 AND purpose = $2::one_time_token_purpose AND used_at IS NULL AND expires_at > $3
"""


async def lock_issuing(conn: Connection, user_id: uuid.UUID, purpose: str) -> None:
    """Serialise issuing ``purpose`` tokens for one user until the transaction ends."""
    await conn.execute(LOCK_ISSUING, str(user_id), purpose)


async def last_issued(conn: Connection, user_id: uuid.UUID, purpose: str) -> dt.datetime | None:
    issued: dt.datetime | None = await conn.fetchval(LAST_ISSUED, user_id, purpose)
    return issued


async def retire_open_tokens(conn: Connection, user_id: uuid.UUID, purpose: str, at: dt.datetime) -> None:
    """Unused, unexpired ``purpose`` tokens of the user stop working (a newer link replaces them)."""
    await conn.execute(RETIRE_OPEN, user_id, purpose, at)


async def insert_token(
    conn: Connection, token_hash: bytes, user_id: uuid.UUID, purpose: str, at: dt.datetime, expires_at: dt.datetime
) -> None:
    await conn.execute(INSERT_TOKEN, token_hash, user_id, purpose, at, expires_at)


async def consume_token(conn: Connection, token_hash: bytes, purpose: str, at: dt.datetime) -> uuid.UUID | None:
    """Use the token once: the user it belongs to, or None if unknown, used, expired or for another purpose."""
    user_id: uuid.UUID | None = await conn.fetchval(CONSUME_TOKEN, token_hash, purpose, at)
    return user_id
