"""Who is who: users, their roles, sign-in sessions, and the rules on passwords and profiles."""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid
import zoneinfo

import msgspec

from procus.domain.errors import InvalidInput, PermissionDenied, PreconditionFailed

__all__ = [
    "MAX_PASSWORD_BYTES",
    "MIN_PASSWORD_LENGTH",
    "AuthSession",
    "ExternalIdentity",
    "Principal",
    "Role",
    "User",
    "normalize_email",
    "validate_full_name",
    "validate_locale",
    "validate_password",
    "validate_time_zone",
]

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_BYTES = 72  # bcrypt ignores everything past 72 bytes; we refuse rather than truncate
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
_LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")


class Role(enum.StrEnum):
    CLIENT = "client"
    EXPERT = "expert"
    ADMIN = "admin"


class User(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    email: str
    full_name: str
    role: Role
    time_zone: str
    locale: str
    is_active: bool
    email_verified_at: dt.datetime | None
    created_at: dt.datetime
    password_hash: str | None = None
    google_sub: str | None = None

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class AuthSession(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    user_id: uuid.UUID
    created_at: dt.datetime
    last_used_at: dt.datetime
    user_agent: str
    ip: str
    revoked_at: dt.datetime | None = None


class ExternalIdentity(msgspec.Struct, frozen=True, kw_only=True):
    """An identity vouched for by another provider (Google)."""

    subject: str
    email: str
    email_verified: bool
    name: str


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    """The signed-in user behind a request, as established from a valid access token."""

    user_id: uuid.UUID
    email: str
    role: Role
    session_id: uuid.UUID
    full_name: str
    email_verified: bool
    time_zone: str

    def require_role(self, *roles: Role) -> None:
        if self.role not in roles:
            raise PermissionDenied("role_required", f"This needs the {' or '.join(r.value for r in roles)} role")

    def require_verified_email(self) -> None:
        if not self.email_verified:
            raise PreconditionFailed("email_not_verified", "Verify your email address first")


def normalize_email(email: str) -> str:
    email = email.strip()
    if len(email) > 254 or not _EMAIL.match(email):
        raise InvalidInput("invalid_email", "That is not a valid email address", field="email")
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def validate_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password_too_short", f"Use at least {MIN_PASSWORD_LENGTH} characters for the password", field=field
        )
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise InvalidInput(
            "password_too_long", f"The password may be at most {MAX_PASSWORD_BYTES} bytes (UTF-8)", field=field
        )


def validate_time_zone(name: str, field: str = "time_zone") -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("invalid_time_zone", f"{name!r} is not an IANA time zone", field=field) from None
    return name


def validate_locale(locale: str) -> str:
    if not _LOCALE.match(locale):
        raise InvalidInput("invalid_locale", "Use a locale such as 'en' or 'en-GB'", field="locale")
    return locale


def validate_full_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 200:
        raise InvalidInput("invalid_full_name", "The name must be 1 to 200 characters", field="full_name")
    return name
