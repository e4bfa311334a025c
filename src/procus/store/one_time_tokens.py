"""Single-use tokens sent by email (password reset, email verification); only their hash is stored."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.store.db import Connection

__all__ = ["consume_token", "insert_token"]

INSERT_TOKEN = """
INSERT INTO one_time_tokens (token_hash, user_id, purpose, created_at, expires_at)
VALUES ($1, $2, $3::one_time_token_purpose, $4, $5)
"""
CONSUME_TOKEN = """
UPDATE one_time_tokens SET used_at = $3
WHERE token_hash = $1 AND purpose = $2::one_time_token_purpose AND used_at IS NULL AND expires_at > $3
RETURNING user_id
"""


async def insert_token(
    conn: Connection, token_hash: bytes, user_id: uuid.UUID, purpose: str, at: dt.datetime, expires_at: dt.datetime
) -> None:
    await conn.execute(INSERT_TOKEN, token_hash, user_id, purpose, at, expires_at)


async def consume_token(conn: Connection, token_hash: bytes, purpose: str, at: dt.datetime) -> uuid.UUID | None:
    """Use the token once: the user it belongs to, or None if unknown, used, expired or for another purpose."""
    user_id: uuid.UUID | None = await conn.fetchval(CONSUME_TOKEN, token_hash, purpose, at)
    return user_id
