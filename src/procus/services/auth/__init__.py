"""Accounts and sign-in: registration, sessions with rotating refresh tokens, recovery."""

from __future__ import annotations

from procus.services.auth.recovery import RecoveryService
from procus.services.auth.registration import RegistrationService
from procus.services.auth.sessions import SessionService
from procus.services.auth.signin import AuthPolicy, ClientInfo, SignIn

__all__ = ["AuthPolicy", "ClientInfo", "RecoveryService", "RegistrationService", "SessionService", "SignIn"]
