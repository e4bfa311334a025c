"""Google sign-in: resolve an OAuth access token with Google's userinfo endpoint."""

from __future__ import annotations

import httpx
import msgspec

from procus.domain.accounts import ExternalIdentity
from procus.domain.errors import AuthenticationFailed, ServiceUnavailable

__all__ = ["GoogleUserInfo"]


class _UserInfo(msgspec.Struct):
    sub: str
    email: str = ""
    email_verified: bool = False
    name: str = ""


class GoogleUserInfo:
    """Implements ``GoogleIdentity``. The URL comes from settings so tests can point it at loopback."""

    def __init__(self, userinfo_url: str, *, timeout: float = 5.0, client: httpx.AsyncClient | None = None) -> None:
        self._url = userinfo_url
        self._client = client or httpx.AsyncClient(timeout=timeout)

    async def identify(self, access_token: str) -> ExternalIdentity:
        try:
            response = await self._client.get(self._url, headers={"Authorization": f"Bearer {access_token}"})
        except httpx.HTTPError:
            raise ServiceUnavailable("google_unavailable", "Google sign-in is unreachable; try again") from None
        if response.status_code in (400, 401, 403):
            raise AuthenticationFailed("google_token_invalid", "Google did not accept this token")
        if response.status_code != 200:
            raise ServiceUnavailable("google_unavailable", "Google sign-in is unavailable; try again")
        try:
            info = msgspec.json.decode(response.content, type=_UserInfo)
        except msgspec.DecodeError:
            raise ServiceUnavailable("google_unavailable", "Unexpected answer from Google") from None
        if not info.email:
            raise AuthenticationFailed("google_email_missing", "Google did not share an email address")
        return ExternalIdentity(subject=info.sub, email=info.email, email_verified=info.email_verified, name=info.name)

    async def aclose(self) -> None:
        await self._client.aclose()
