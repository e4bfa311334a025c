"""The signed-in user's own account, and creating the first admin (admins' account operations: admin_users)."""

from __future__ import annotations

from procus.domain.accounts import (
    Principal,
    Role,
    User,
    normalize_email,
    validate_full_name,
    validate_locale,
    validate_password,
    validate_time_zone,
)
from procus.services.auth.passwords import PasswordHasher
from procus.services.ports.clock import Clock
from procus.store import users
from procus.store.db import Database

__all__ = ["AccountService"]


class AccountService:
    def __init__(self, db: Database, clock: Clock, hasher: PasswordHasher) -> None:
        self._db = db
        self._clock = clock
        self._hasher = hasher

    async def me(self, principal: Principal) -> User:
        async with self._db.connection() as conn:
            return await users.get_user(conn, principal.user_id)

    async def update_me(
        self,
        principal: Principal,
        *,
        full_name: str | None = None,
        time_zone: str | None = None,
        locale: str | None = None,
    ) -> User:
        changes = {
            "full_name": validate_full_name(full_name) if full_name is not None else None,
            "time_zone": validate_time_zone(time_zone) if time_zone is not None else None,
            "locale": validate_locale(locale) if locale is not None else None,
        }
        async with self._db.transaction() as tx:
            return await users.update_profile(tx, principal.user_id, **changes)

    async def create_admin(self, email: str, password: str, full_name: str = "Administrator") -> User:
        """Create the admin account, or promote the existing account with that email."""
        email = normalize_email(email)
        validate_password(password)
        password_hash = await self._hasher.hash(password)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            existing = await users.get_user_by_email(tx, email)
            if existing is not None:
                await users.set_password_hash(tx, existing.id, password_hash)
                await users.mark_email_verified(tx, existing.id, now)
                return await users.set_role(tx, existing.id, Role.ADMIN)
            return await users.insert_user(
                tx,
                email=email,
                password_hash=password_hash,
                full_name=validate_full_name(full_name),
                role=Role.ADMIN,
                email_verified_at=now,
            )
