"""Signing in with a password, refreshing, signing out, and telling who a request is from."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from procus.domain.accounts import AuthSession, Principal, normalize_email
from procus.domain.errors import AuthenticationFailed, InvalidInput, NotFound, PermissionDenied, RateLimited
from procus.domain.login_throttle import next_attempt_at, retry_after_seconds
from procus.services.auth.passwords import PasswordHasher
from procus.services.auth.signin import AuthPolicy, ClientInfo, SignIn, issue_tokens, start_session
from procus.services.auth.tokens import AccessTokens, hash_token
from procus.services.ports.clock import Clock
from procus.store import auth_sessions, login_failures, users
from procus.store.db import Connection, Database

__all__ = ["SessionService"]

_log = logging.getLogger("procus.auth")
_BAD_CREDENTIALS = "The email or password is incorrect"
REFRESH_GRACE = dt.timedelta(seconds=30)
"""How long a rotated refresh token still yields its successor: tabs sharing the cookie refresh at once."""


class SessionService:
    def __init__(
        self, db: Database, clock: Clock, hasher: PasswordHasher, access_tokens: AccessTokens, policy: AuthPolicy
    ) -> None:
        self._db = db
        self._clock = clock
        self._hasher = hasher
        self._access = access_tokens
        self._policy = policy

    async def login(self, email: str, password: str, client: ClientInfo) -> SignIn:
        """Same error, and the same bcrypt work, for an unknown email and a wrong password."""
        try:
            email = normalize_email(email)
        except InvalidInput:
            await self._hasher.verify(password, None)
            raise AuthenticationFailed("invalid_credentials", _BAD_CREDENTIALS) from None
        now = self._clock.now()
        attempt = await self._reserve_attempt(email, client.ip, now)
        async with self._db.connection() as conn:
            user = await users.get_user_by_email(conn, email)
        valid = await self._hasher.verify(password, user.password_hash if user else None)
        if user is None or not valid:
            raise AuthenticationFailed("invalid_credentials", _BAD_CREDENTIALS)
        async with self._db.transaction() as tx:
            await login_failures.forget_attempt(tx, attempt)
            if not user.is_active:
                raise PermissionDenied("account_suspended", "This account is suspended")
            return await start_session(
                tx, user, client, now=now, access_tokens=self._access, refresh_ttl=self._policy.refresh_ttl
            )

    async def _reserve_attempt(self, email: str, ip: str, now: dt.datetime) -> int:
        """Count this attempt as failed before its password is checked, unless the caller must wait.

        The reservation commits before bcrypt runs, under locks on the email and the address, so
        concurrent guesses see each other; only the attempt that proves the password removes its row.
        """
        async with self._db.transaction() as tx:
            await login_failures.lock_attempts(tx, email=email, ip=ip)
            by_email, by_address = await login_failures.history(
                tx, email=email, ip=ip, since=now - self._policy.login_failure_window
            )
            allowed_at = next_attempt_at(
                (self._policy.login_delay, by_email), (self._policy.address_login_delay, by_address)
            )
            if allowed_at is not None and allowed_at > now:
                raise RateLimited(
                    "too_many_login_attempts",
                    "Too many failed sign-in attempts; wait before trying again",
                    retry_after=retry_after_seconds(allowed_at, now),
                )
            return await login_failures.reserve_attempt(tx, email, ip, now)

    async def refresh(self, refresh_token: str, client: ClientInfo) -> SignIn:
        """Exchange a refresh token for a new pair. A token seen twice revokes its whole session."""
        now = self._clock.now()
        token_hash = hash_token(refresh_token)
        async with self._db.transaction() as tx:
            row = await auth_sessions.lock_refresh_token(tx, token_hash)
            if row is None:
                raise AuthenticationFailed("invalid_refresh_token", "The refresh token is not valid")
            if row.session_revoked_at is not None:
                raise AuthenticationFailed("session_revoked", "This session has been signed out")
            if row.rotated_at is not None:
                if now - row.rotated_at <= REFRESH_GRACE:
                    again = await self._successor_again(tx, refresh_token, row.session_id, now)
                    if again is not None:
                        return again
                await auth_sessions.revoke_session(tx, row.session_id, row.user_id, now, "refresh_token_reuse")
                _log.warning(
                    "refresh token reuse: session revoked",
                    extra={"user_id": str(row.user_id), "session_id": str(row.session_id), "ip": client.ip},
                )
                reused = True
            else:
                reused = False
                if row.expires_at <= now:
                    raise AuthenticationFailed("refresh_token_expired", "The session has expired; sign in again")
                user = await users.get_user(tx, row.user_id)
                if not user.is_active:
                    raise PermissionDenied("account_suspended", "This account is suspended")
                await auth_sessions.mark_rotated(tx, token_hash, now)
                await auth_sessions.touch_session(tx, row.session_id, now)
                return await issue_tokens(
                    tx,
                    user,
                    row.session_id,
                    now=now,
                    access_tokens=self._access,
                    refresh_ttl=self._policy.refresh_ttl,
                    refresh=self._access.successor(refresh_token),
                )
        assert reused
        raise AuthenticationFailed(
            "refresh_token_reused", "This refresh token was already used; the session is revoked"
        )

    async def _successor_again(
        self, tx: Connection, refresh_token: str, session_id: uuid.UUID, now: dt.datetime
    ) -> SignIn | None:
        """The same successor for a token rotated moments ago (tabs refreshing at once), if that
        successor has not been used itself; None means the old token is being reused."""
        successor = self._access.successor(refresh_token)
        row = await auth_sessions.lock_refresh_token(tx, hash_token(successor))
        if row is None or row.session_id != session_id or row.rotated_at is not None or row.expires_at <= now:
            return None
        user = await users.get_user(tx, row.user_id)
        if not user.is_active:
            raise PermissionDenied("account_suspended", "This account is suspended")
        return SignIn(
            user=user,
            session_id=session_id,
            access_token=self._access.issue(user, session_id, now),
            access_expires_at=now + self._access.ttl,
            refresh_token=successor,
            refresh_expires_at=row.expires_at,
        )

    async def authenticate(self, access_token: str) -> Principal:
        now = self._clock.now()
        claims = self._access.verify(access_token, now)
        async with self._db.connection() as conn:
            found = await auth_sessions.get_principal(conn, claims.session_id, claims.user_id)
        if found is not None and not found.is_active:
            raise PermissionDenied("account_suspended", "This account is suspended")
        if found is None or found.session_revoked:
            raise AuthenticationFailed("session_revoked", "This session has been signed out")
        return found.principal

    async def logout(self, *, refresh_token: str | None, principal: Principal | None) -> None:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            if refresh_token:
                row = await auth_sessions.lock_refresh_token(tx, hash_token(refresh_token))
                if row is not None:
                    await auth_sessions.revoke_session(tx, row.session_id, row.user_id, now, "logout")
            if principal is not None:
                await auth_sessions.revoke_session(tx, principal.session_id, principal.user_id, now, "logout")

    async def logout_all(self, principal: Principal) -> int:
        async with self._db.transaction() as tx:
            return await auth_sessions.revoke_all_sessions(tx, principal.user_id, self._clock.now(), "logout_all")

    async def sessions(self, principal: Principal) -> list[AuthSession]:
        async with self._db.connection() as conn:
            return await auth_sessions.list_active_sessions(conn, principal.user_id, self._clock.now())

    async def revoke(self, principal: Principal, session_id: uuid.UUID) -> None:
        async with self._db.transaction() as tx:
            revoked = await auth_sessions.revoke_session(
                tx, session_id, principal.user_id, self._clock.now(), "revoked"
            )
        if not revoked:
            raise NotFound("session_not_found", "No such active session")
