"""Users: the accounts table."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg

from procus.domain.accounts import Role, User
from procus.domain.admin_lists import UserSearch
from procus.domain.errors import Conflict, NotFound
from procus.store.db import Connection
from procus.store.search_args import NEWEST_CREATED

__all__ = [
    "admin_ids",
    "get_user",
    "get_user_by_email",
    "get_user_by_google_sub",
    "insert_user",
    "insert_user_unless_taken",
    "link_google",
    "mark_email_verified",
    "search_users",
    "set_active",
    "set_password_hash",
    "set_role",
    "take_over_for_google",
    "update_profile",
]

_COLUMNS = """
    id, email::text AS email, full_name, role::text AS role, time_zone, locale, is_active,
    email_verified_at, created_at, password_hash, google_sub
"""

INSERT_USER = f"""
INSERT INTO users (email, password_hash, full_name, role, time_zone, locale, email_verified_at, google_sub)
VALUES ($1, $2, $3, $4::user_role, $5, $6, $7, $8)
RETURNING {_COLUMNS}
"""
# Registration: an address already taken gives no row (and no error that would end the transaction).
INSERT_USER_UNLESS_TAKEN = f"""
INSERT INTO users (email, password_hash, full_name, role, time_zone, locale)
VALUES ($1, $2, $3, $4::user_role, $5, $6)
ON CONFLICT DO NOTHING
RETURNING {_COLUMNS}
"""
SELECT_USER = f"SELECT {_COLUMNS} FROM users WHERE id = $1"
SELECT_USER_BY_EMAIL = f"SELECT {_COLUMNS} FROM users WHERE email = $1"
SELECT_USER_BY_GOOGLE_SUB = f"SELECT {_COLUMNS} FROM users WHERE google_sub = $1"
UPDATE_PASSWORD_HASH = "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1"
UPDATE_EMAIL_VERIFIED = (
    "UPDATE users SET email_verified_at = coalesce(email_verified_at, $2), updated_at = now() WHERE id = $1"
)
UPDATE_GOOGLE_LINK = f"""
UPDATE users SET google_sub = $2, email_verified_at = coalesce(email_verified_at, $3), updated_at = now()
WHERE id = $1 RETURNING {_COLUMNS}
"""
TAKE_OVER_FOR_GOOGLE = f"""
UPDATE users SET google_sub = $2, password_hash = NULL, email_verified_at = $3, updated_at = now()
WHERE id = $1 RETURNING {_COLUMNS}
"""
SELECT_IS_ACTIVE = "SELECT is_active FROM users WHERE id = $1"
UPDATE_ACTIVE = f"UPDATE users SET is_active = $2, updated_at = now() WHERE id = $1 RETURNING {_COLUMNS}"
UPDATE_ROLE = f"UPDATE users SET role = $2::user_role, updated_at = now() WHERE id = $1 RETURNING {_COLUMNS}"
SELECT_ADMIN_IDS = "SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id"
SEARCH_USERS = f"""
SELECT {_COLUMNS} FROM users
WHERE ($1::text IS NULL OR email::text ILIKE '%' || $1 || '%' OR full_name ILIKE '%' || $1 || '%')
  AND ($2::text IS NULL OR role = $2::user_role)
  AND ($3::boolean IS NULL OR is_active = $3)
  AND {NEWEST_CREATED.within(4)}
  {NEWEST_CREATED.page(6)}
"""
UPDATE_PROFILE = f"""
UPDATE users SET full_name = coalesce($2, full_name), time_zone = coalesce($3, time_zone),
    locale = coalesce($4, locale), updated_at = now()
WHERE id = $1 RETURNING {_COLUMNS}
"""


def _to_user(row: asyncpg.Record) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        full_name=row["full_name"],
        role=Role(row["role"]),
        time_zone=row["time_zone"],
        locale=row["locale"],
        is_active=row["is_active"],
        email_verified_at=row["email_verified_at"],
        created_at=row["created_at"],
        password_hash=row["password_hash"],
        google_sub=row["google_sub"],
    )


def _one(row: asyncpg.Record | None, what: str = "user") -> User:
    if row is None:
        raise NotFound(f"{what}_not_found", "No such user")
    return _to_user(row)


async def insert_user(
    conn: Connection,
    *,
    email: str,
    password_hash: str | None,
    full_name: str,
    role: Role,
    time_zone: str = "UTC",
    locale: str = "en",
    email_verified_at: dt.datetime | None = None,
    google_sub: str | None = None,
) -> User:
    try:
        row = await conn.fetchrow(
            INSERT_USER, email, password_hash, full_name, role.value, time_zone, locale, email_verified_at, google_sub
        )
    except asyncpg.UniqueViolationError:
        raise Conflict("email_taken", "An account with that email already exists") from None
    return _one(row)


async def insert_user_unless_taken(
    conn: Connection, *, email: str, password_hash: str, full_name: str, role: Role, time_zone: str, locale: str
) -> User | None:
    """The new account, or None when ``email`` already has one (that account is left as it is)."""
    row = await conn.fetchrow(INSERT_USER_UNLESS_TAKEN, email, password_hash, full_name, role.value, time_zone, locale)
    return _to_user(row) if row else None


async def get_user(conn: Connection, user_id: uuid.UUID) -> User:
    return _one(await conn.fetchrow(SELECT_USER, user_id))


async def get_user_by_email(conn: Connection, email: str) -> User | None:
    row = await conn.fetchrow(SELECT_USER_BY_EMAIL, email)
    return _to_user(row) if row else None


async def get_user_by_google_sub(conn: Connection, subject: str) -> User | None:
    row = await conn.fetchrow(SELECT_USER_BY_GOOGLE_SUB, subject)
    return _to_user(row) if row else None


async def set_password_hash(conn: Connection, user_id: uuid.UUID, password_hash: str) -> None:
    await conn.execute(UPDATE_PASSWORD_HASH, user_id, password_hash)


async def mark_email_verified(conn: Connection, user_id: uuid.UUID, at: dt.datetime) -> None:
    await conn.execute(UPDATE_EMAIL_VERIFIED, user_id, at)


async def link_google(conn: Connection, user_id: uuid.UUID, subject: str, at: dt.datetime) -> User:
    return _one(await conn.fetchrow(UPDATE_GOOGLE_LINK, user_id, subject, at))


async def take_over_for_google(conn: Connection, user_id: uuid.UUID, subject: str, at: dt.datetime) -> User:
    """Hand an unverified account to the Google identity that proved the email: no password survives."""
    return _one(await conn.fetchrow(TAKE_OVER_FOR_GOOGLE, user_id, subject, at))


async def is_active(conn: Connection, user_id: uuid.UUID) -> bool:
    """Whether the account exists and is not suspended."""
    active: bool | None = await conn.fetchval(SELECT_IS_ACTIVE, user_id)
    return bool(active)


async def set_active(conn: Connection, user_id: uuid.UUID, active: bool) -> User:
    return _one(await conn.fetchrow(UPDATE_ACTIVE, user_id, active))


async def set_role(conn: Connection, user_id: uuid.UUID, role: Role) -> User:
    return _one(await conn.fetchrow(UPDATE_ROLE, user_id, role.value))


async def update_profile(conn: Connection, user_id: uuid.UUID, **changes: Any) -> User:
    return _one(
        await conn.fetchrow(
            UPDATE_PROFILE, user_id, changes.get("full_name"), changes.get("time_zone"), changes.get("locale")
        )
    )


async def search_users(conn: Connection, search: UserSearch) -> list[User]:
    """Up to ``search.limit + 1`` users, newest first (one extra tells the caller a next page exists)."""
    text = search.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") if search.text else None
    rows = await conn.fetch(
        SEARCH_USERS,
        text,
        search.role.value if search.role else None,
        search.active,
        search.created_from,
        search.created_to,
        *NEWEST_CREATED.args(search.after),
        search.limit + 1,
    )
    return [_to_user(row) for row in rows]


async def admin_ids(conn: Connection) -> list[uuid.UUID]:
    """Every active admin, in id order (``notify`` locks per user)."""
    return [row["id"] for row in await conn.fetch(SELECT_ADMIN_IDS)]
