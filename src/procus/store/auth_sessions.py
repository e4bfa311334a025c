"""Sign-in sessions and the rotating refresh tokens that belong to them."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import msgspec

from procus.domain.accounts import AuthSession, Principal, Role
from procus.store import notification_channel
from procus.store.db import Connection

__all__ = [
    "PrincipalRow",
    "RefreshTokenRow",
    "get_principal",
    "insert_refresh_token",
    "insert_session",
    "list_active_sessions",
    "lock_refresh_token",
    "mark_rotated",
    "revoke_all_sessions",
    "revoke_session",
    "touch_session",
]


class RefreshTokenRow(msgspec.Struct, frozen=True, kw_only=True):
    session_id: uuid.UUID
    user_id: uuid.UUID
    expires_at: dt.datetime
    rotated_at: dt.datetime | None
    session_revoked_at: dt.datetime | None


_SESSION_COLUMNS = "id, user_id, created_at, last_used_at, user_agent, ip, revoked_at"

INSERT_SESSION = f"""
INSERT INTO auth_sessions (user_id, created_at, last_used_at, user_agent, ip) VALUES ($1, $2, $2, $3, $4)
RETURNING {_SESSION_COLUMNS}
"""
INSERT_REFRESH_TOKEN = """
INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)
"""
LOCK_REFRESH_TOKEN = """
SELECT t.session_id, s.user_id, t.expires_at, t.rotated_at, s.revoked_at AS session_revoked_at
FROM refresh_tokens t JOIN auth_sessions s ON s.id = t.session_id
WHERE t.token_hash = $1
FOR UPDATE OF t, s
"""
MARK_ROTATED = "UPDATE refresh_tokens SET rotated_at = $2 WHERE token_hash = $1"
TOUCH_SESSION = "UPDATE auth_sessions SET last_used_at = $2 WHERE id = $1"
REVOKE_SESSION = """
UPDATE auth_sessions SET revoked_at = $3, revoked_reason = $4
WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
"""
REVOKE_ALL_SESSIONS = """
UPDATE auth_sessions SET revoked_at = $2, revoked_reason = $3 WHERE user_id = $1 AND revoked_at IS NULL
"""
SELECT_ACTIVE_SESSIONS = f"""
SELECT {_SESSION_COLUMNS} FROM auth_sessions s
WHERE user_id = $1 AND revoked_at IS NULL
  AND EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.session_id = s.id AND t.rotated_at IS NULL AND t.expires_at > $2)
ORDER BY last_used_at DESC
"""
SELECT_PRINCIPAL = """
SELECT u.id, u.email::text AS email, u.role::text AS role, u.full_name, u.is_active,
       u.email_verified_at IS NOT NULL AS email_verified, u.time_zone, s.revoked_at
FROM auth_sessions s JOIN users u ON u.id = s.user_id
WHERE s.id = $1 AND u.id = $2
"""


def _to_session(row: asyncpg.Record) -> AuthSession:
    return AuthSession(
        id=row["id"],
        user_id=row["user_id"],
        created_at=row["created_at"],
        last_used_at=row["last_used_at"],
        user_agent=row["user_agent"],
        ip=row["ip"],
        revoked_at=row["revoked_at"],
    )


async def insert_session(
    conn: Connection, user_id: uuid.UUID, at: dt.datetime, user_agent: str, ip: str
) -> AuthSession:
    row = await conn.fetchrow(INSERT_SESSION, user_id, at, user_agent[:500], ip[:100])
    assert row is not None
    return _to_session(row)


async def insert_refresh_token(
    conn: Connection, token_hash: bytes, session_id: uuid.UUID, issued_at: dt.datetime, expires_at: dt.datetime
) -> None:
    await conn.execute(INSERT_REFRESH_TOKEN, token_hash, session_id, issued_at, expires_at)


async def lock_refresh_token(conn: Connection, token_hash: bytes) -> RefreshTokenRow | None:
    """Find a refresh token and lock it with its session, so concurrent refreshes serialise."""
    row = await conn.fetchrow(LOCK_REFRESH_TOKEN, token_hash)
    if row is None:
        return None
    return RefreshTokenRow(
        session_id=row["session_id"],
        user_id=row["user_id"],
        expires_at=row["expires_at"],
        rotated_at=row["rotated_at"],
        session_revoked_at=row["session_revoked_at"],
    )


async def mark_rotated(conn: Connection, token_hash: bytes, at: dt.datetime) -> None:
    await conn.execute(MARK_ROTATED, token_hash, at)


async def touch_session(conn: Connection, session_id: uuid.UUID, at: dt.datetime) -> None:
    await conn.execute(TOUCH_SESSION, session_id, at)


async def revoke_session(
    conn: Connection, session_id: uuid.UUID, user_id: uuid.UUID, at: dt.datetime, reason: str
) -> bool:
    status: str = await conn.execute(REVOKE_SESSION, session_id, user_id, at, reason)
    revoked = status.endswith(" 1")
    if revoked:
        await notification_channel.wake_streams(conn, user_id)  # its streams end once this commits
    return revoked


async def revoke_all_sessions(conn: Connection, user_id: uuid.UUID, at: dt.datetime, reason: str) -> int:
    status: str = await conn.execute(REVOKE_ALL_SESSIONS, user_id, at, reason)
    await notification_channel.wake_streams(conn, user_id)  # their streams end once this commits
    return int(status.rsplit(" ", 1)[1])


async def list_active_sessions(conn: Connection, user_id: uuid.UUID, now: dt.datetime) -> list[AuthSession]:
    return [_to_session(row) for row in await conn.fetch(SELECT_ACTIVE_SESSIONS, user_id, now)]


class PrincipalRow(msgspec.Struct, frozen=True):
    principal: Principal
    is_active: bool
    session_revoked: bool


async def get_principal(conn: Connection, session_id: uuid.UUID, user_id: uuid.UUID) -> PrincipalRow | None:
    """The user behind an access token, with what decides whether the token still counts."""
    row = await conn.fetchrow(SELECT_PRINCIPAL, session_id, user_id)
    if row is None:
        return None
    principal = Principal(
        user_id=row["id"],
        email=row["email"],
        role=Role(row["role"]),
        session_id=session_id,
        full_name=row["full_name"],
        email_verified=row["email_verified"],
        time_zone=row["time_zone"],
    )
    return PrincipalRow(principal, row["is_active"], row["revoked_at"] is not None)
