"""Dependency providers: hand each handler the one service it calls, and who is calling."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers import BaseRouteHandler

from procus.app.request import StrictJsonRequest
from procus.bootstrap import Container
from procus.config import Settings
from procus.domain.accounts import Principal, Role
from procus.domain.admin_audit import AdminActor
from procus.domain.errors import AuthenticationFailed
from procus.services.accounts.account import AccountService
from procus.services.accounts.avatars import AvatarService
from procus.services.admin.audit import AdminAuditService
from procus.services.admin.bookings import AdminBookingService
from procus.services.admin.experts import AdminExpertService
from procus.services.admin.money import AdminMoneyService
from procus.services.admin.reports import AdminReportService
from procus.services.admin.users import AdminUserService
from procus.services.auth import RecoveryService, RegistrationService, SessionService
from procus.services.bookings import BookingService
from procus.services.calls import CallService
from procus.services.experts.areas import AreaService
from procus.services.experts.availability import AvailabilityService
from procus.services.experts.marketplace import MarketplaceService
from procus.services.experts.profiles import ExpertProfileService
from procus.services.experts.slot_reasons import SlotReasons
from procus.services.experts.slots import SlotService
from procus.services.health import ReadinessService
from procus.services.notices.calendar_feed import CalendarFeedService
from procus.services.notices.notification_stream import NotificationStreamService
from procus.services.notices.notifications import NotificationService
from procus.services.payments import EscrowService, PayoutService, PaystackWebhooks, RefundService
from procus.services.payments.client_money import ClientMoneyService, EarningsService
from procus.services.payments.earning_lines import EarningLinesService
from procus.services.trust.blocks import BlockService
from procus.services.trust.disputes import DisputeService
from procus.services.trust.favorites import FavoriteService
from procus.services.trust.reviews import ReviewService

__all__ = ["admins_only", "dependencies"]


def _container(state: State) -> Container:
    container: Container = state.container
    return container


_PRINCIPAL = "procus_principal"

# Providers name the request by the app's own request class, not ``Request[Any, Any, Any]``: Litestar
# checks each dependency's arguments with ``isinstance``, which a subscripted generic makes raise and
# retry through typing introspection, on every request.


def _bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The bearer token of the ``Authorization`` header, read from the raw header list: most public
    reads carry none, and building the request's header multidict just to learn that costs more."""
    header = next((value for name, value in connection.scope["headers"] if name == b"authorization"), b"")
    scheme, _, token = header.decode("latin-1").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def provide_principal(request: StrictJsonRequest) -> Principal:
    known: Principal | None = request.state.get(_PRINCIPAL)
    if known is not None:
        return known
    token = _bearer(request)
    if token is None:
        raise AuthenticationFailed("not_authenticated", "Sign in: send 'Authorization: Bearer <access token>'")
    return await _container(request.app.state).sessions.authenticate(token)


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


async def provide_optional_principal(request: StrictJsonRequest) -> Principal | None:
    token = _bearer(request)
    if token is None:
        return None
    try:
        return await _container(request.app.state).sessions.authenticate(token)
    except AuthenticationFailed:
        return None


async def provide_expert(principal: Principal) -> Principal:
    principal.require_role(Role.EXPERT)
    return principal


async def provide_admin(principal: Principal) -> Principal:
    principal.require_role(Role.ADMIN)
    return principal


async def provide_admin_actor(admin: Principal, request: StrictJsonRequest, state: State) -> AdminActor:
    """The admin and the address the request came from, for the audit trail."""
    address = request.client.host if request.client else ""
    forwarded = request.headers.get("x-forwarded-for")
    if _container(state).settings.trust_proxy_headers and forwarded:
        address = forwarded.split(",")[0].strip()
    return AdminActor(principal=admin, address=address)


def dependencies(state: State) -> dict[str, Provide]:
    """The providers of the app whose ``state`` will hold the container (its lifespan puts it there).

    Services and settings come straight from that container: their providers take no parameters,
    so Litestar has nothing to parse before calling them (parsing a ``state: State`` parameter
    cost more than the lookup itself, on every request).
    """

    def service(kind: type[Any]) -> Provide:
        """Hand a handler the Container's ``kind`` (checked by the type checker, not looked up by name)."""

        def provide() -> Any:
            return _container(state).service(kind)

        return Provide(provide, sync_to_thread=False)

    def provide_settings() -> Settings:
        return _container(state).settings

    return {
        "settings": Provide(provide_settings, sync_to_thread=False),
        "principal": Provide(provide_principal),
        "optional_principal": Provide(provide_optional_principal),
        "expert": Provide(provide_expert),
        "admin": Provide(provide_admin),
        "admin_actor": Provide(provide_admin_actor),
        "readiness_service": service(ReadinessService),
        "sessions": service(SessionService),
        "registration": service(RegistrationService),
        "recovery": service(RecoveryService),
        "accounts": service(AccountService),
        "notifications": service(NotificationService),
        "notification_stream": service(NotificationStreamService),
        "bookings": service(BookingService),
        "expert_profiles": service(ExpertProfileService),
        "expert_areas": service(AreaService),
        "expert_availability": service(AvailabilityService),
        "slot_service": service(SlotService),
        "slot_reasons": service(SlotReasons),
        "marketplace": service(MarketplaceService),
        "escrow": service(EscrowService),
        "refunds": service(RefundService),
        "payouts": service(PayoutService),
        "earning_lines": service(EarningLinesService),
        "paystack_webhooks": service(PaystackWebhooks),
        "calls": service(CallService),
        "avatars": service(AvatarService),
        "reviews": service(ReviewService),
        "favorites": service(FavoriteService),
        "blocks": service(BlockService),
        "calendar_feeds": service(CalendarFeedService),
        "disputes": service(DisputeService),
        "client_money": service(ClientMoneyService),
        "earnings": service(EarningsService),
        "admin_users": service(AdminUserService),
        "admin_experts": service(AdminExpertService),
        "admin_bookings": service(AdminBookingService),
        "admin_money": service(AdminMoneyService),
        "admin_reports": service(AdminReportService),
        "admin_audit": service(AdminAuditService),
    }
