"""Fakes of our own Protocols (never of our own code), type-checked against them."""

from __future__ import annotations

import datetime as dt

from procus.domain.accounts import ExternalIdentity
from procus.domain.errors import AuthenticationFailed
from procus.services.ports.clock import Clock
from procus.services.ports.identity import GoogleIdentity

__all__ = ["FakeClock", "FakeGoogleIdentity"]


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.current = start or dt.datetime.now(dt.UTC).replace(microsecond=0)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> dt.datetime:
        self.current += dt.timedelta(**delta)
        return self.current


class FakeGoogleIdentity:
    def __init__(self) -> None:
        self.tokens: dict[str, ExternalIdentity] = {}

    async def identify(self, access_token: str) -> ExternalIdentity:
        try:
            return self.tokens[access_token]
        except KeyError:
            raise AuthenticationFailed("google_token_invalid", "unknown token") from None


_clock: Clock = FakeClock()
_google: GoogleIdentity = FakeGoogleIdentity()
