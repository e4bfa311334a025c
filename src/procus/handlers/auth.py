"""/v1/auth: registration, sign-in, token refresh, sign-out, sessions, recovery."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.background_tasks import BackgroundTask
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.handlers import BaseRouteHandler
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from procus.config import Settings
from procus.domain.accounts import AuthSession, Principal, Role, normalize_email
from procus.domain.errors import AuthenticationFailed, PermissionDenied
from procus.handlers.schemas import UserOut
from procus.services.auth import ClientInfo, RecoveryService, RegistrationService, SessionService, SignIn

__all__ = ["REFRESH_COOKIE", "AuthController"]

REFRESH_COOKIE = "procus_refresh"
_COOKIE_PATH = "/v1/auth"

Email = Annotated[str, msgspec.Meta(max_length=254)]
Password = Annotated[str, msgspec.Meta(max_length=1024)]


class RegisterIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password
    full_name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    role: Literal["client", "expert"] = "client"
    time_zone: str = "UTC"
    locale: str = "en"


class LoginIn(msgspec.Struct):
    email: Email
    password: Password


class RefreshIn(msgspec.Struct):
    refresh_token: str | None = None


class GoogleIn(msgspec.Struct):
    access_token: Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]
    role: Literal["client", "expert"] = "client"


class PasswordResetIn(msgspec.Struct):
    email: Email


class PasswordResetConfirmIn(msgspec.Struct):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    new_password: Password


class VerifyEmailIn(msgspec.Struct):
    token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class RegistrationOut(msgspec.Struct, frozen=True, kw_only=True):
    email: str
    next_step: Literal["check_email"] = "check_email"
    """A verification link (or, for an address that already has an account, a note to its owner) is on its way."""


class AuthProvidersOut(msgspec.Struct, frozen=True, kw_only=True):
    google_client_id: str | None
    """The OAuth client ID for Google's sign-in button; null when Google sign-in is not configured."""


class TokensOut(msgspec.Struct, frozen=True, kw_only=True):
    access_token: str
    token_type: str
    expires_in: int
    expires_at: dt.datetime
    refresh_token: str | None
    """Only for clients that are not browsers (no ``Origin``): a browser keeps it in the HTTP-only cookie."""
    refresh_expires_at: dt.datetime
    session_id: uuid.UUID
    user: UserOut


class SessionOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    created_at: dt.datetime
    last_used_at: dt.datetime
    user_agent: str
    ip: str
    current: bool


def client_info(request: Request[Any, Any, Any], settings: Settings) -> ClientInfo:
    ip = request.client.host if request.client else ""  # behind our proxies: see app/middleware/client_address.py
    return ClientInfo(user_agent=request.headers.get("user-agent", ""), ip=ip)


def _refresh_cookie(settings: Settings, value: str, expires_at: dt.datetime | None) -> Cookie:
    max_age = 0 if expires_at is None else int((expires_at - dt.datetime.now(dt.UTC)).total_seconds())
    return Cookie(
        key=REFRESH_COOKIE,
        value=value,
        path=_COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=not settings.is_development,
        max_age=max(max_age, 0),
    )


def _from_browser(request: Request[Any, Any, Any]) -> bool:
    return "origin" in request.headers or "sec-fetch-site" in request.headers


def _allowed_origins(settings: Settings) -> set[str]:
    public = urlsplit(settings.public_url)
    return {*settings.cors_origins, f"{public.scheme}://{public.netloc}"}


def same_site_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard for the routes the refresh cookie authenticates: a page on another site must not be
    able to make the browser refresh or sign out (CSRF). Fetch Metadata first, then ``Origin``."""
    settings: Settings = connection.app.state.settings
    site = connection.headers.get("sec-fetch-site")
    origin = connection.headers.get("origin")
    if site == "cross-site" or (origin is not None and origin not in _allowed_origins(settings)):
        raise PermissionDenied("origin_not_allowed", "This request must come from the ProcusMeet app itself")


def _tokens_response(
    request: Request[Any, Any, Any], sign_in: SignIn, settings: Settings, status: int
) -> Response[TokensOut]:
    body = TokensOut(
        access_token=sign_in.access_token,
        token_type="bearer",
        expires_in=int((sign_in.access_expires_at - dt.datetime.now(dt.UTC)).total_seconds()),
        expires_at=sign_in.access_expires_at,
        refresh_token=None if _from_browser(request) else sign_in.refresh_token,
        refresh_expires_at=sign_in.refresh_expires_at,
        session_id=sign_in.session_id,
        user=UserOut.of(sign_in.user),
    )
    return Response(
        body,
        status_code=status,
        cookies=[_refresh_cookie(settings, sign_in.refresh_token, sign_in.refresh_expires_at)],
        headers={"Cache-Control": "no-store"},
    )


def _cleared_cookie_response(settings: Settings) -> Response[None]:
    return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[_refresh_cookie(settings, "", None)])


class AuthController(Controller):
    path = "/v1/auth"
    tags = ["auth"]

    @post("/register", operation_id="register", status_code=HTTP_202_ACCEPTED)
    async def register(self, data: RegisterIn, registration: RegistrationService) -> RegistrationOut:
        """The same answer whether or not the email already has an account (whose owner is mailed
        instead): registration reveals nothing about who has an account, and starts no session.
        A new user signs in with the password just chosen and verifies through the mailed link."""
        await registration.register(
            email=data.email,
            password=data.password,
            full_name=data.full_name,
            role=Role(data.role),
            time_zone=data.time_zone,
            locale=data.locale,
        )
        return RegistrationOut(email=normalize_email(data.email))

    @post("/login", operation_id="login", status_code=HTTP_200_OK)
    async def login(
        self, request: Request[Any, Any, Any], data: LoginIn, sessions: SessionService, settings: Settings
    ) -> Response[TokensOut]:
        sign_in = await sessions.login(data.email, data.password, client_info(request, settings))
        return _tokens_response(request, sign_in, settings, HTTP_200_OK)

    @post("/refresh", operation_id="refresh", status_code=HTTP_200_OK, guards=[same_site_only])
    async def refresh(
        self,
        request: Request[Any, Any, Any],
        sessions: SessionService,
        settings: Settings,
        data: RefreshIn | None = None,
    ) -> Response[TokensOut]:
        token = (data.refresh_token if data else None) or request.cookies.get(REFRESH_COOKIE)
        if not token:
            raise AuthenticationFailed("refresh_token_missing", "Send the refresh token in the body or the cookie")
        sign_in = await sessions.refresh(token, client_info(request, settings))
        return _tokens_response(request, sign_in, settings, HTTP_200_OK)

    @post("/logout", operation_id="logout", status_code=HTTP_204_NO_CONTENT, guards=[same_site_only])
    async def logout(
        self,
        request: Request[Any, Any, Any],
        sessions: SessionService,
        settings: Settings,
        optional_principal: Principal | None,
        data: RefreshIn | None = None,
    ) -> Response[None]:
        token = (data.refresh_token if data else None) or request.cookies.get(REFRESH_COOKIE)
        await sessions.logout(refresh_token=token, principal=optional_principal)
        return _cleared_cookie_response(settings)

    @post("/logout-all", operation_id="logoutAll", status_code=HTTP_204_NO_CONTENT)
    async def logout_all(self, sessions: SessionService, principal: Principal, settings: Settings) -> Response[None]:
        await sessions.logout_all(principal)
        return _cleared_cookie_response(settings)

    @get("/providers", operation_id="getAuthProviders")
    async def providers(self, settings: Settings) -> AuthProvidersOut:
        """Which ways of signing in the SPA offers besides email and password."""
        return AuthProvidersOut(google_client_id=settings.google_client_id or None)

    @get("/sessions", operation_id="listSessions")
    async def list_sessions(self, sessions: SessionService, principal: Principal) -> list[SessionOut]:
        found: list[AuthSession] = await sessions.sessions(principal)
        return [
            SessionOut(
                id=s.id,
                created_at=s.created_at,
                last_used_at=s.last_used_at,
                user_agent=s.user_agent,
                ip=s.ip,
                current=s.id == principal.session_id,
            )
            for s in found
        ]

    @delete("/sessions/{session_id:uuid}", operation_id="revokeSession", status_code=HTTP_204_NO_CONTENT)
    async def revoke_session(self, session_id: uuid.UUID, sessions: SessionService, principal: Principal) -> None:
        await sessions.revoke(principal, session_id)

    @post("/google", operation_id="googleSignIn", status_code=HTTP_200_OK)
    async def google(
        self, request: Request[Any, Any, Any], data: GoogleIn, registration: RegistrationService, settings: Settings
    ) -> Response[TokensOut]:
        sign_in = await registration.sign_in_with_google(
            data.access_token, Role(data.role), client_info(request, settings)
        )
        return _tokens_response(request, sign_in, settings, HTTP_200_OK)

    @post("/password-reset", operation_id="requestPasswordReset", status_code=HTTP_202_ACCEPTED)
    async def request_password_reset(self, data: PasswordResetIn, recovery: RecoveryService) -> Response[None]:
        """Answered before the account is even looked up, so known and unknown emails take the same time."""
        return Response(
            None,
            status_code=HTTP_202_ACCEPTED,
            background=BackgroundTask(recovery.request_password_reset, data.email),
        )

    @post("/password-reset/confirm", operation_id="confirmPasswordReset", status_code=HTTP_204_NO_CONTENT)
    async def confirm_password_reset(self, data: PasswordResetConfirmIn, recovery: RecoveryService) -> None:
        await recovery.reset_password(data.token, data.new_password)

    @post("/verify-email", operation_id="verifyEmail", status_code=HTTP_204_NO_CONTENT)
    async def verify_email(self, data: VerifyEmailIn, recovery: RecoveryService) -> None:
        await recovery.verify_email(data.token)

    @post("/verify-email/resend", operation_id="resendVerification", status_code=HTTP_202_ACCEPTED)
    async def resend_verification(self, recovery: RecoveryService, principal: Principal) -> None:
        await recovery.resend_verification(principal)
