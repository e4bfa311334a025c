"""Dependency providers: hand each handler the one service it calls, and who is calling."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers import BaseRouteHandler

from procus.bootstrap import Container
from procus.config import Settings
from procus.domain.accounts import Principal, Role
from procus.domain.admin_audit import AdminActor
from procus.domain.errors import AuthenticationFailed

__all__ = ["admins_only", "dependencies"]


def _container(state: State) -> Container:
    container: Container = state.container
    return container


_PRINCIPAL = "procus_principal"


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def provide_principal(request: Request[Any, Any, Any], state: State) -> Principal:
    known: Principal | None = request.state.get(_PRINCIPAL)
    if known is not None:
        return known
    token = _bearer(request)
    if token is None:
        raise AuthenticationFailed("not_authenticated", "Sign in: send 'Authorization: Bearer <access token>'")
    return await _container(state).sessions.authenticate(token)


async def admins_only(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Guard for every /v1/admin route: 401 without a valid token, 403 for anyone but an admin.

    Guards run before Litestar parses parameters and bodies, so a non-admin learns nothing about what
    an admin route would accept; the principal is kept for the handler's own dependencies.
    """
    token = _bearer(connection)
    if token is None:
        raise AuthenticationFailed("not_authenticated", "Sign in: send 'Authorization: Bearer <access token>'")
    principal = await _container(connection.app.state).sessions.authenticate(token)
    principal.require_role(Role.ADMIN)
    connection.state[_PRINCIPAL] = principal


async def provide_optional_principal(request: Request[Any, Any, Any], state: State) -> Principal | None:
    token = _bearer(request)
    if token is None:
        return None
    try:
        return await _container(state).sessions.authenticate(token)
    except AuthenticationFailed:
        return None


async def provide_expert(principal: Principal) -> Principal:
    principal.require_role(Role.EXPERT)
    return principal


async def provide_admin(principal: Principal) -> Principal:
    principal.require_role(Role.ADMIN)
    return principal


async def provide_admin_actor(admin: Principal, request: Request[Any, Any, Any], state: State) -> AdminActor:
    """The admin and the address the request came from, for the audit trail."""
    address = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for")
    if _container(state).settings.trust_proxy_headers and forwarded:
        address = forwarded.split(",")[0].strip()
    return AdminActor(principal=admin, address=address)


def _service(attribute: str) -> Provide:
    def provide(state: State) -> Any:
        return getattr(_container(state), attribute)

    return Provide(provide, sync_to_thread=False)


def provide_settings(state: State) -> Settings:
    return _container(state).settings


dependencies: dict[str, Provide] = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "principal": Provide(provide_principal),
    "optional_principal": Provide(provide_optional_principal),
    "expert": Provide(provide_expert),
    "admin": Provide(provide_admin),
    "admin_actor": Provide(provide_admin_actor),
    "readiness_service": _service("readiness"),
    "sessions": _service("sessions"),
    "registration": _service("registration"),
    "recovery": _service("recovery"),
    "accounts": _service("accounts"),
    "notifications": _service("notifications"),
    "notification_stream": _service("notification_stream"),
    "bookings": _service("bookings"),
    "expert_profiles": _service("expert_profiles"),
    "expert_areas": _service("expert_areas"),
    "expert_availability": _service("expert_availability"),
    "slot_service": _service("slots"),
    "marketplace": _service("marketplace"),
    "escrow": _service("escrow"),
    "refunds": _service("refunds"),
    "payouts": _service("payouts"),
    "paystack_webhooks": _service("paystack_webhooks"),
    "calls": _service("calls"),
    "avatars": _service("avatars"),
    "reviews": _service("reviews"),
    "favorites": _service("favorites"),
    "blocks": _service("blocks"),
    "calendar_feeds": _service("calendar_feeds"),
    "disputes": _service("disputes"),
    "admin_users": _service("admin_users"),
    "admin_experts": _service("admin_experts"),
    "admin_bookings": _service("admin_bookings"),
    "admin_money": _service("admin_money"),
    "admin_reports": _service("admin_reports"),
    "admin_audit": _service("admin_audit"),
}
