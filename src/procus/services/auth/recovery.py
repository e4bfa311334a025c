"""Getting back in and proving an address: password reset and email verification links."""

from __future__ import annotations

import datetime as dt

from procus.domain.accounts import Principal, User, normalize_email, validate_password
from procus.domain.errors import Conflict, Gone, InvalidInput
from procus.services.auth.passwords import PasswordHasher
from procus.services.auth.signin import AuthPolicy
from procus.services.auth.tokens import hash_token, new_opaque_token
from procus.services.notices.emails import queue_email
from procus.services.ports.clock import Clock
from procus.store import auth_sessions, one_time_tokens, users
from procus.store.db import Connection, Database

__all__ = ["RecoveryService", "send_verification", "tell_owner_of_registration_attempt"]

PASSWORD_RESET = "password_reset"
EMAIL_VERIFICATION = "email_verification"
REGISTRATION_ATTEMPT = "registration_attempt"


async def _issue(
    tx: Connection, user: User, purpose: str, now: dt.datetime, ttl: dt.timedelta, policy: AuthPolicy, path: str
) -> None:
    token = new_opaque_token()
    await one_time_tokens.insert_token(tx, hash_token(token), user.id, purpose, now, now + ttl)
    link = f"{policy.public_url.rstrip('/')}/{path}?token={token}"
    link_key = "reset_url" if purpose == PASSWORD_RESET else "verify_url"
    await queue_email(
        tx,
        purpose,
        user.email,
        {"recipient_name": user.full_name, link_key: link, "expires_in": int(ttl.total_seconds())},
    )


async def send_verification(tx: Connection, user: User, now: dt.datetime, policy: AuthPolicy) -> None:
    await _issue(tx, user, EMAIL_VERIFICATION, now, policy.email_verification_ttl, policy, "verify-email")


async def tell_owner_of_registration_attempt(tx: Connection, email: str, now: dt.datetime, policy: AuthPolicy) -> None:
    """Someone tried to register ``email``, which already has an account: tell its owner how to get in.

    At most one such mail per account per ``password_reset_cooldown`` window (the window's number is
    part of the email's dedupe key), so repeated attempts cannot flood the owner's inbox.
    """
    owner = await users.get_user_by_email(tx, email)
    if owner is None or not owner.is_active:
        return
    window = int(now.timestamp() // policy.password_reset_cooldown.total_seconds())
    base = policy.public_url.rstrip("/")
    await queue_email(
        tx,
        REGISTRATION_ATTEMPT,
        owner.email,
        {
            "recipient_name": owner.full_name,
            "sign_in_url": f"{base}/sign-in",
            "reset_url": f"{base}/forgot-password",
        },
        dedupe_key=f"{REGISTRATION_ATTEMPT}:{owner.id}:{window}",
    )


class RecoveryService:
    def __init__(self, db: Database, clock: Clock, hasher: PasswordHasher, policy: AuthPolicy) -> None:
        self._db = db
        self._clock = clock
        self._hasher = hasher
        self._policy = policy

    async def request_password_reset(self, email: str) -> None:
        """Always succeeds from the caller's view, so it reveals nothing about which emails exist
        (the handler runs it after answering, so its timing reveals nothing either).

        One mail per account per ``password_reset_cooldown``, however often it is asked for: a
        request inside the cooldown sends nothing, and the link already sent keeps working. A
        request after it sends a new link and retires the older ones, so one link is valid at a time.
        """
        try:
            email = normalize_email(email)
        except InvalidInput:
            return
        now = self._clock.now()
        async with self._db.transaction() as tx:
            user = await users.get_user_by_email(tx, email)
            if user is None or not user.is_active:
                return
            await one_time_tokens.lock_issuing(tx, user.id, PASSWORD_RESET)
            last = await one_time_tokens.last_issued(tx, user.id, PASSWORD_RESET)
            if last is not None and now - last < self._policy.password_reset_cooldown:
                return
            await one_time_tokens.retire_open_tokens(tx, user.id, PASSWORD_RESET, now)
            await _issue(tx, user, PASSWORD_RESET, now, self._policy.password_reset_ttl, self._policy, "reset-password")

    async def reset_password(self, token: str, new_password: str) -> None:
        """Set a new password with a reset token; every session of the account is signed out."""
        validate_password(new_password, field="new_password")
        password_hash = await self._hasher.hash(new_password)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            user_id = await one_time_tokens.consume_token(tx, hash_token(token), PASSWORD_RESET, now)
            if user_id is None:
                raise Gone("reset_token_invalid", "This reset link is invalid, expired or already used")
            await users.set_password_hash(tx, user_id, password_hash)
            await users.mark_email_verified(tx, user_id, now)
            await auth_sessions.revoke_all_sessions(tx, user_id, now, "password_reset")

    async def verify_email(self, token: str) -> None:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            user_id = await one_time_tokens.consume_token(tx, hash_token(token), EMAIL_VERIFICATION, now)
            if user_id is None:
                raise Gone("verification_token_invalid", "This verification link is invalid, expired or already used")
            await users.mark_email_verified(tx, user_id, now)

    async def resend_verification(self, principal: Principal) -> None:
        now = self._clock.now()
        async with self._db.transaction() as tx:
            user = await users.get_user(tx, principal.user_id)
            if user.email_verified:
                raise Conflict("email_already_verified", "This email address is already verified")
            await send_verification(tx, user, now, self._policy)
