"""Access tokens (HS256 JWTs) and opaque refresh / one-time tokens (256 random bits, stored hashed)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from typing import Any

import jwt
import msgspec

from procus.domain.accounts import Role, User
from procus.domain.errors import AuthenticationFailed

__all__ = ["AccessClaims", "AccessTokens", "hash_token", "new_opaque_token", "successor_refresh_token"]

_ISSUER = "procus"


class AccessClaims(msgspec.Struct, frozen=True, kw_only=True):
    user_id: uuid.UUID
    email: str
    role: Role
    session_id: uuid.UUID
    expires_at: dt.datetime


class AccessTokens:
    def __init__(self, secret: str, ttl: dt.timedelta) -> None:
        self._secret = secret
        self.ttl = ttl

    def successor(self, refresh_token: str) -> str:
        """See :func:`successor_refresh_token`; keyed with the access-token secret."""
        return successor_refresh_token(self._secret, refresh_token)

    def issue(self, user: User, session_id: uuid.UUID, now: dt.datetime) -> str:
        claims: dict[str, Any] = {
            "sub": str(user.id),
            "email": user.email,
            "role": user.role.value,
            "sid": str(session_id),
            "iat": int(now.timestamp()),
            "exp": int((now + self.ttl).timestamp()),
            "iss": _ISSUER,
            "typ": "access",
        }
        return jwt.encode(claims, self._secret, algorithm="HS256")

    def verify(self, token: str, now: dt.datetime) -> AccessClaims:
        """Check signature, issuer and type; expiry is judged against ``now`` (our clock), not PyJWT's."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=["HS256"],
                issuer=_ISSUER,
                options={"require": ["exp", "iat", "sub", "sid"], "verify_exp": False, "verify_iat": False},
            )
            if claims.get("typ") != "access":
                raise AuthenticationFailed("invalid_token", "Not an access token")
            expires_at = dt.datetime.fromtimestamp(int(claims["exp"]), tz=dt.UTC)
            if expires_at <= now:
                raise AuthenticationFailed("token_expired", "The access token has expired; refresh it")
            return AccessClaims(
                user_id=uuid.UUID(claims["sub"]),
                email=str(claims["email"]),
                role=Role(claims["role"]),
                session_id=uuid.UUID(claims["sid"]),
                expires_at=expires_at,
            )
        except (jwt.PyJWTError, KeyError, ValueError, TypeError):
            raise AuthenticationFailed("invalid_token", "The access token is invalid") from None


def new_opaque_token() -> str:
    return secrets.token_urlsafe(32)


def successor_refresh_token(key: str, refresh_token: str) -> str:
    """The refresh token that replaces ``refresh_token`` when it is rotated: derived, not drawn, so a
    second refresh with the same token (another tab, moments later) can be given the same successor
    although only hashes are stored. Unguessable without both the key and the old token."""
    digest = hmac.new(key.encode(), b"refresh-successor:" + refresh_token.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
