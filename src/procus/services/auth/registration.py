"""New accounts: by email and password, or through Google."""

from __future__ import annotations

import datetime as dt

from procus.domain.accounts import (
    Role,
    User,
    normalize_email,
    validate_full_name,
    validate_locale,
    validate_password,
    validate_time_zone,
)
from procus.domain.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from procus.services.auth.passwords import PasswordHasher
from procus.services.auth.recovery import send_verification, tell_owner_of_registration_attempt
from procus.services.auth.signin import AuthPolicy, ClientInfo, SignIn, start_session
from procus.services.auth.tokens import AccessTokens
from procus.services.ports.clock import Clock
from procus.services.ports.identity import GoogleIdentity
from procus.store import auth_sessions, experts, users
from procus.store.db import Connection, Database

__all__ = ["RegistrationService"]

_SELF_SERVICE_ROLES = (Role.CLIENT, Role.EXPERT)


def _self_service_role(role: Role) -> Role:
    if role not in _SELF_SERVICE_ROLES:
        raise InvalidInput("invalid_role", "Register as a client or an expert", field="role")
    return role


class RegistrationService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        hasher: PasswordHasher,
        access_tokens: AccessTokens,
        policy: AuthPolicy,
        google: GoogleIdentity,
    ) -> None:
        self._db = db
        self._clock = clock
        self._hasher = hasher
        self._access = access_tokens
        self._policy = policy
        self._google = google

    async def register(
        self,
        *,
        email: str,
        password: str,
        full_name: str,
        role: Role,
        time_zone: str = "UTC",
        locale: str = "en",
    ) -> None:
        """Create the account and mail a verification link, or, when the address already has an
        account, mail its owner instead; the caller cannot tell which (no account enumeration).

        Both paths validate, hash the password (the slow, dominant step) and run one transaction
        with one insert attempt and one queued email, so they take the same time. Registration
        starts no session: the new user signs in with the password just chosen.
        """
        email = normalize_email(email)
        validate_password(password)
        role = _self_service_role(role)
        full_name = validate_full_name(full_name)
        validate_time_zone(time_zone)
        validate_locale(locale)
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            user = await users.insert_user_unless_taken(
                tx,
                email=email,
                password_hash=password_hash,
                full_name=full_name,
                role=role,
                time_zone=time_zone,
                locale=locale,
            )
            if user is None:
                await tell_owner_of_registration_attempt(tx, email, now, self._policy)
                return
            await self._after_create(tx, user)
            await send_verification(tx, user, now, self._policy)

    async def sign_in_with_google(self, access_token: str, role: Role, client: ClientInfo) -> SignIn:
        """Link to the account with the same email, or create one, in one transaction.

        An account whose email was never verified may have been registered by someone else who
        knew the address (account pre-hijacking): Google has now proved who owns the email, so the
        account is taken over cleanly, its password cleared and every session signed out.
        """
        identity = await self._google.identify(access_token)
        if not identity.email_verified:
            raise AuthenticationFailed("google_email_unverified", "Google has not verified this email address")
        email = normalize_email(identity.email)
        role = _self_service_role(role)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            user = await users.get_user_by_google_sub(tx, identity.subject)
            if user is None:
                existing = await users.get_user_by_email(tx, email)
                if existing is not None and existing.email_verified:
                    user = await users.link_google(tx, existing.id, identity.subject, now)
                elif existing is not None:
                    user = await users.take_over_for_google(tx, existing.id, identity.subject, now)
                    await auth_sessions.revoke_all_sessions(tx, existing.id, now, "google_takeover")
                else:
                    user = await users.insert_user(
                        tx,
                        email=email,
                        password_hash=None,
                        full_name=validate_full_name(identity.name or email.split("@")[0]),
                        role=role,
                        email_verified_at=now,
                        google_sub=identity.subject,
                    )
                    await self._after_create(tx, user)
            if not user.is_active:
                raise PermissionDenied("account_suspended", "This account is suspended")
            return await self._start(tx, user, client, now)

    async def _after_create(self, tx: Connection, user: User) -> None:
        if user.role is Role.EXPERT:
            await experts.insert_empty_profile(tx, user.id, user.time_zone)

    async def _start(self, tx: Connection, user: User, client: ClientInfo, now: dt.datetime) -> SignIn:
        return await start_session(
            tx, user, client, now=now, access_tokens=self._access, refresh_ttl=self._policy.refresh_ttl
        )
