"""Dependency providers: hand each handler the one service it calls, and who is calling."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import Provide

from procus.bootstrap import Container
from procus.config import Settings
from procus.domain.accounts import Principal, Role
from procus.domain.errors import AuthenticationFailed
from procus.services.accounts.account import AccountService
from procus.services.accounts.avatars import AvatarService
from procus.services.auth import RecoveryService, RegistrationService, SessionService
from procus.services.bookings import BookingService
from procus.services.calls import CallService
from procus.services.experts.areas import AreaService
from procus.services.experts.availability import AvailabilityService
from procus.services.experts.marketplace import MarketplaceService
from procus.services.experts.profiles import ExpertProfileService
from procus.services.experts.slots import SlotService
from procus.services.health import ReadinessService
from procus.services.notices.notification_stream import NotificationStreamService
from procus.services.notices.notifications import NotificationService
from procus.services.payments import EscrowService, PayoutService, PaystackWebhooks, RefundService

__all__ = ["dependencies"]


def _container(state: State) -> Container:
    container: Container = state.container
    return container


def _bearer(request: Request[Any, Any, Any]) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def provide_principal(request: Request[Any, Any, Any], state: State) -> Principal:
    token = _bearer(request)
    if token is None:
        raise AuthenticationFailed("not_authenticated", "Sign in: send 'Authorization: Bearer <access token>'")
    return await _container(state).sessions.authenticate(token)


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


def _service(kind: type[Any]) -> Provide:
    """Hand a handler the Container's ``kind`` (checked by the type checker, not looked up by name)."""

    def provide(state: State) -> Any:
        return _container(state).service(kind)

    return Provide(provide, sync_to_thread=False)


def provide_settings(state: State) -> Settings:
    return _container(state).settings


dependencies: dict[str, Provide] = {
    "settings": Provide(provide_settings, sync_to_thread=False),
    "principal": Provide(provide_principal),
    "optional_principal": Provide(provide_optional_principal),
    "expert": Provide(provide_expert),
    "admin": Provide(provide_admin),
    "readiness_service": _service(ReadinessService),
    "sessions": _service(SessionService),
    "registration": _service(RegistrationService),
    "recovery": _service(RecoveryService),
    "accounts": _service(AccountService),
    "notifications": _service(NotificationService),
    "notification_stream": _service(NotificationStreamService),
    "bookings": _service(BookingService),
    "expert_profiles": _service(ExpertProfileService),
    "expert_areas": _service(AreaService),
    "expert_availability": _service(AvailabilityService),
    "slot_service": _service(SlotService),
    "marketplace": _service(MarketplaceService),
    "escrow": _service(EscrowService),
    "refunds": _service(RefundService),
    "payouts": _service(PayoutService),
    "paystack_webhooks": _service(PaystackWebhooks),
    "calls": _service(CallService),
    "avatars": _service(AvatarService),
}
