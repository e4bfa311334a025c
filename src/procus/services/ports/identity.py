"""Third-party identity: who a Google OAuth access token belongs to."""

from __future__ import annotations

from typing import Protocol

from procus.domain.accounts import ExternalIdentity

__all__ = ["GoogleIdentity"]


class GoogleIdentity(Protocol):
    async def identify(self, access_token: str) -> ExternalIdentity:
        """Resolve the token with Google; raise AuthenticationFailed if Google does not accept it."""
        ...
