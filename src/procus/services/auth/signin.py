"""What every way of signing in ends with: a new session, an access token and a refresh token."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import User
from procus.domain.login_throttle import LoginDelay
from procus.services.auth.tokens import AccessTokens, hash_token, new_opaque_token
from procus.store import auth_sessions
from procus.store.db import Connection

__all__ = ["AuthPolicy", "ClientInfo", "SignIn", "issue_tokens", "start_session"]


class AuthPolicy(msgspec.Struct, frozen=True, kw_only=True):
    refresh_ttl: dt.timedelta
    login_delay: LoginDelay
    """For one email's attempts."""
    address_login_delay: LoginDelay
    """For one address's attempts, whichever emails they name."""
    login_failure_window: dt.timedelta
    password_reset_ttl: dt.timedelta
    password_reset_cooldown: dt.timedelta
    email_verification_ttl: dt.timedelta
    public_url: str


class ClientInfo(msgspec.Struct, frozen=True):
    user_agent: str = ""
    ip: str = ""


class SignIn(msgspec.Struct, frozen=True, kw_only=True):
    user: User
    session_id: uuid.UUID
    access_token: str
    access_expires_at: dt.datetime
    refresh_token: str
    refresh_expires_at: dt.datetime


async def issue_tokens(
    conn: Connection,
    user: User,
    session_id: uuid.UUID,
    *,
    now: dt.datetime,
    access_tokens: AccessTokens,
    refresh_ttl: dt.timedelta,
    refresh: str | None = None,
) -> SignIn:
    """A new access token and the refresh token ``refresh`` (a fresh random one if not given)."""
    refresh = refresh or new_opaque_token()
    expires_at = now + refresh_ttl
    await auth_sessions.insert_refresh_token(conn, hash_token(refresh), session_id, now, expires_at)
    return SignIn(
        user=user,
        session_id=session_id,
        access_token=access_tokens.issue(user, session_id, now),
        access_expires_at=now + access_tokens.ttl,
        refresh_token=refresh,
        refresh_expires_at=expires_at,
    )


async def start_session(
    conn: Connection,
    user: User,
    client: ClientInfo,
    *,
    now: dt.datetime,
    access_tokens: AccessTokens,
    refresh_ttl: dt.timedelta,
) -> SignIn:
    session = await auth_sessions.insert_session(conn, user.id, now, client.user_agent, client.ip)
    return await issue_tokens(conn, user, session.id, now=now, access_tokens=access_tokens, refresh_ttl=refresh_ttl)
