"""Every route the app serves, in one list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Controller, Router

from procus.app.providers import admins_only
from procus.config import Settings
from procus.handlers.admin_audit import AdminAuditController
from procus.handlers.admin_bookings import AdminBookingsController
from procus.handlers.admin_experts import AdminExpertsController
from procus.handlers.admin_money import AdminMoneyController, AdminReportsController
from procus.handlers.admin_refunds import AdminRefundsController
from procus.handlers.admin_reviews import AdminReviewsController
from procus.handlers.admin_users import AdminUsersController
from procus.handlers.auth import AuthController
from procus.handlers.avatars import AvatarController
from procus.handlers.blocks import AdminBlocksController, BlocksController
from procus.handlers.bookings import BookingsController
from procus.handlers.calendar_feed import CalendarFeedController, MyCalendarFeedController
from procus.handlers.calls import CallsController
from procus.handlers.dev_home import dev_home
from procus.handlers.dev_mail import DevMailController
from procus.handlers.disputes import AdminDisputesController, BookingDisputeController
from procus.handlers.earnings import EarningsController
from procus.handlers.expert_availability import ExpertAvailabilityController
from procus.handlers.expert_self import ExpertSelfController
from procus.handlers.expert_slots import ExpertSlotsController
from procus.handlers.favorites import FavoritesController
from procus.handlers.health import HealthController
from procus.handlers.livekit_webhooks import LiveKitWebhookController
from procus.handlers.marketplace import CategoriesController, ExpertsController
from procus.handlers.me import MeController
from procus.handlers.my_money import BookingCheckoutController, MyEarningsController, MyPaymentsController
from procus.handlers.notifications import NotificationsController
from procus.handlers.payments import PaymentsController, PaystackWebhookController
from procus.handlers.payouts import PayoutsController
from procus.handlers.reviews import BookingReviewController, ExpertReviewsController, ReviewsController
from procus.handlers.spa import spa_handler

__all__ = ["ADMIN_CONTROLLERS", "route_handlers"]


ADMIN_CONTROLLERS: list[type[Controller]] = [
    AdminUsersController,
    AdminExpertsController,
    AdminBookingsController,
    AdminMoneyController,
    AdminReportsController,
    AdminRefundsController,
    AdminReviewsController,
    AdminBlocksController,
    AdminAuditController,
    AdminDisputesController,
]
"""Everything under /v1/admin: mounted behind the :func:`admins_only` guard."""


def route_handlers(settings: Settings) -> list[Any]:
    handlers: list[Any] = [HealthController, AuthController, MeController]
    handlers += [AvatarController]
    handlers += [CategoriesController, ExpertsController, ExpertSelfController, ExpertAvailabilityController]
    handlers += [ExpertSlotsController]
    handlers += [BookingsController]
    handlers += [CallsController, LiveKitWebhookController]
    handlers += [NotificationsController]
    handlers += [PaystackWebhookController, PaymentsController, PayoutsController]
    handlers += [BookingReviewController, ReviewsController, ExpertReviewsController]
    handlers += [FavoritesController, BlocksController, MyCalendarFeedController, CalendarFeedController]
    handlers += [BookingDisputeController, MyPaymentsController, MyEarningsController, BookingCheckoutController]
    handlers += [EarningsController]
    handlers.append(Router(path="/", route_handlers=ADMIN_CONTROLLERS, guards=[admins_only]))
    if settings.is_development:
        handlers.append(DevMailController)  # captured mail; never mounted outside development
    dist = Path(settings.spa_dist_dir)
    if (dist / "index.html").is_file():
        handlers.append(spa_handler(dist))
    elif settings.is_development:
        handlers.append(dev_home)
    return handlers
