"""All wiring in one place: settings -> database -> integrations -> services.

The HTTP app, the CLI and the background worker all build their collaborators here, so each
service is constructed the same way wherever it runs. Tests replace integrations by passing
fakes of our own Protocols to :meth:`Container.create`.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from procus.config import Settings
from procus.integrations.google.userinfo import GoogleUserInfo
from procus.migrate import available_migrations
from procus.services.accounts import AccountService
from procus.services.auth import AuthPolicy, RecoveryService, RegistrationService, SessionService
from procus.services.health import ReadinessService
from procus.services.passwords import PasswordHasher
from procus.services.ports.clock import Clock, SystemClock
from procus.services.ports.identity import GoogleIdentity
from procus.services.tokens import AccessTokens
from procus.store.db import Database

__all__ = ["Container", "Integrations"]


class Integrations(msgspec.Struct, kw_only=True):
    """The outside world as the services see it; each field is one of our Protocols."""

    clock: Clock
    google: GoogleIdentity

    @classmethod
    def real(cls, settings: Settings) -> Integrations:
        return cls(clock=SystemClock(), google=GoogleUserInfo(settings.google_userinfo_url))


def _auth_policy(settings: Settings) -> AuthPolicy:
    return AuthPolicy(
        refresh_ttl=dt.timedelta(seconds=settings.refresh_token_ttl_seconds),
        login_max_failures=settings.login_max_failures,
        login_failure_window=dt.timedelta(seconds=settings.login_failure_window_seconds),
        password_reset_ttl=dt.timedelta(seconds=settings.password_reset_ttl_seconds),
        email_verification_ttl=dt.timedelta(seconds=settings.email_verification_ttl_seconds),
        public_url=settings.public_url,
    )


class Container(msgspec.Struct, kw_only=True):
    settings: Settings
    db: Database
    integrations: Integrations
    readiness: ReadinessService
    sessions: SessionService
    registration: RegistrationService
    recovery: RecoveryService
    accounts: AccountService

    @classmethod
    async def create(cls, settings: Settings, integrations: Integrations | None = None) -> Container:
        db = await Database.connect(settings.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max)
        io = integrations or Integrations.real(settings)
        clock = io.clock
        hasher = PasswordHasher(settings.bcrypt_cost)
        access = AccessTokens(settings.jwt_secret, dt.timedelta(seconds=settings.access_token_ttl_seconds))
        policy = _auth_policy(settings)
        return cls(
            settings=settings,
            db=db,
            integrations=io,
            readiness=ReadinessService(db, available_migrations(settings.migrations_dir)),
            sessions=SessionService(db, clock, hasher, access, policy),
            registration=RegistrationService(db, clock, hasher, access, policy, io.google),
            recovery=RecoveryService(db, clock, hasher, policy),
            accounts=AccountService(db, clock, hasher),
        )

    async def close(self) -> None:
        for name in self.integrations.__struct_fields__:
            closer = getattr(getattr(self.integrations, name), "aclose", None)
            if closer is not None:
                await closer()
        await self.db.close()
