"""All wiring in one place: settings -> database -> integrations -> services.

The HTTP app, the CLI and the background worker all build their collaborators here, so each
service is constructed the same way wherever it runs. Tests replace integrations by passing
fakes of our own Protocols to :meth:`Container.create`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import msgspec

from procus.config import Settings
from procus.domain.calls import CallPolicy
from procus.domain.cancellation import RefundPolicy
from procus.domain.login_throttle import LoginDelay
from procus.integrations.google.userinfo import GoogleUserInfo
from procus.integrations.livekit import LiveKitRooms, LiveKitTokens, LiveKitWebhookVerifier
from procus.integrations.mail.smtp import SmtpMailSender
from procus.integrations.paystack import PaystackClient
from procus.integrations.storage import S3ObjectStorage
from procus.migrate import available_migrations
from procus.services.accounts.account import AccountService
from procus.services.accounts.avatars import AvatarPolicy, AvatarService
from procus.services.admin.audit import AdminAuditService
from procus.services.admin.bookings import AdminBookingService
from procus.services.admin.experts import AdminExpertService
from procus.services.admin.money import AdminMoneyService
from procus.services.admin.reports import AdminReportService
from procus.services.admin.users import AdminUserService
from procus.services.auth import AuthPolicy, RecoveryService, RegistrationService, SessionService
from procus.services.auth.passwords import PasswordHasher
from procus.services.auth.tokens import AccessTokens
from procus.services.bookings import BookingPolicy, BookingService
from procus.services.calls import CallService, CallVideo
from procus.services.experts.areas import AreaService
from procus.services.experts.availability import AvailabilityService
from procus.services.experts.directory_index import DirectoryIndex
from procus.services.experts.marketplace import MarketplaceService
from procus.services.experts.profiles import ExpertProfileService
from procus.services.experts.slot_reasons import SlotReasons
from procus.services.experts.slots import SlotService
from procus.services.health import ReadinessService
from procus.services.idempotency import IdempotencyService
from procus.services.notices.bookings import BookingLinks, BookingNotices, BookingReminderReader
from procus.services.notices.calendar_feed import CalendarFeedService
from procus.services.notices.email_delivery import EmailDeliveryService
from procus.services.notices.notification_stream import NotificationHub, NotificationStreamService
from procus.services.notices.notifications import NotificationService
from procus.services.notices.reminders import ReminderService
from procus.services.payments import (
    EscrowService,
    LedgerAuditor,
    PaymentNotices,
    PayoutService,
    PaystackWebhooks,
    RefundRetryPolicy,
    RefundService,
)
from procus.services.payments.client_money import ClientMoneyService, EarningsService
from procus.services.payments.earning_lines import EarningLinesService
from procus.services.ports.clock import Clock, SystemClock
from procus.services.ports.identity import GoogleIdentity
from procus.services.ports.mail import MailSender
from procus.services.ports.payment_gateway import PaymentGateway
from procus.services.ports.storage import ObjectStorage
from procus.services.ports.video import VideoRooms, VideoTokens, VideoWebhookVerifier
from procus.services.trust.blocks import BlockService
from procus.services.trust.disputes import DisputeService
from procus.services.trust.favorites import FavoriteService
from procus.services.trust.reviews import ReviewService
from procus.store.db import Database

__all__ = ["Container", "Integrations"]

S = TypeVar("S")


class Integrations(msgspec.Struct, kw_only=True):
    """The outside world as the services see it; each field is one of our Protocols."""

    clock: Clock
    google: GoogleIdentity
    mail: MailSender
    payments: PaymentGateway
    video_rooms: VideoRooms | None = None
    """The video parts left None are LiveKit's, from settings (see :func:`_with_video`)."""
    video_tokens: VideoTokens | None = None
    video_webhooks: VideoWebhookVerifier | None = None
    storage: ObjectStorage | None = None
    """Object storage (avatars); None means the S3 server from settings (see :func:`_with_storage`)."""

    @classmethod
    def real(cls, settings: Settings) -> Integrations:
        return _with_video(
            cls(
                clock=SystemClock(),
                google=GoogleUserInfo(settings.google_userinfo_url),
                mail=SmtpMailSender.from_settings(settings),
                payments=PaystackClient.from_settings(settings),
                storage=S3ObjectStorage.from_settings(settings),
            ),
            settings,
        )[0]


def _with_storage(io: Integrations, settings: Settings) -> tuple[Integrations, ObjectStorage]:
    storage = io.storage or S3ObjectStorage.from_settings(settings)
    return msgspec.structs.replace(io, storage=storage), storage


def _avatar_policy(settings: Settings) -> AvatarPolicy:
    return AvatarPolicy(
        max_bytes=settings.avatar_max_bytes, url_ttl=dt.timedelta(seconds=settings.avatar_url_ttl_seconds)
    )


def _with_video(io: Integrations, settings: Settings) -> tuple[Integrations, CallVideo]:
    key, secret = settings.livekit_api_key, settings.livekit_api_secret
    rooms = io.video_rooms or LiveKitRooms(
        settings.livekit_api_url, key, secret, timeout_s=settings.livekit_api_timeout_seconds
    )
    tokens = io.video_tokens or LiveKitTokens(key, secret)
    webhooks = io.video_webhooks or LiveKitWebhookVerifier(key, secret)
    io = msgspec.structs.replace(io, video_rooms=rooms, video_tokens=tokens, video_webhooks=webhooks)
    return io, CallVideo(rooms=rooms, tokens=tokens, webhooks=webhooks, url=settings.livekit_url)


def _call_policy(settings: Settings) -> CallPolicy:
    return CallPolicy(
        join_early=dt.timedelta(seconds=settings.call_join_early_seconds),
        grace=dt.timedelta(seconds=settings.call_grace_seconds),
        token_ttl=dt.timedelta(seconds=settings.livekit_token_ttl_seconds),
        no_show_after=dt.timedelta(seconds=settings.no_show_after_seconds),
        room_empty_timeout=dt.timedelta(seconds=settings.livekit_room_empty_timeout_seconds),
    )


def _login_delay(settings: Settings, free: int) -> LoginDelay:
    return LoginDelay(
        free=free,
        base=dt.timedelta(seconds=settings.login_delay_base_seconds),
        cap=dt.timedelta(seconds=settings.login_delay_max_seconds),
    )


def _auth_policy(settings: Settings) -> AuthPolicy:
    return AuthPolicy(
        refresh_ttl=dt.timedelta(seconds=settings.refresh_token_ttl_seconds),
        login_delay=_login_delay(settings, settings.login_max_failures),
        address_login_delay=_login_delay(settings, settings.login_max_failures_per_address),
        login_failure_window=dt.timedelta(seconds=settings.login_failure_window_seconds),
        password_reset_ttl=dt.timedelta(seconds=settings.password_reset_ttl_seconds),
        password_reset_cooldown=dt.timedelta(seconds=settings.password_reset_cooldown_seconds),
        email_verification_ttl=dt.timedelta(seconds=settings.email_verification_ttl_seconds),
        public_url=settings.public_url,
    )


def _booking_policy(settings: Settings) -> BookingPolicy:
    return BookingPolicy(
        platform_fee_bps=settings.platform_fee_bps,
        answer_within=dt.timedelta(seconds=settings.request_expiry_seconds),
        unpaid_within=dt.timedelta(seconds=settings.unpaid_expiry_seconds),
        refunds=RefundPolicy(
            late_window=dt.timedelta(seconds=settings.late_cancel_window_seconds),
            late_share_bps=settings.late_cancel_refund_bps,
        ),
        calls=_call_policy(settings),
    )


class _Payments(msgspec.Struct, frozen=True, kw_only=True):
    escrow: EscrowService
    refunds: RefundService
    payouts: PayoutService
    webhooks: PaystackWebhooks


def _payments(
    settings: Settings,
    db: Database,
    clock: Clock,
    gateway: PaymentGateway,
    idempotency: IdempotencyService,
    notices: BookingNotices,
) -> _Payments:
    payment_notices = PaymentNotices(notices, settings.public_url)
    retry = RefundRetryPolicy(
        retry_base=dt.timedelta(seconds=settings.refund_retry_base_seconds), max_attempts=settings.refund_max_attempts
    )
    refunds = RefundService(db, clock, gateway, payment_notices, retry)
    escrow = EscrowService(
        db,
        clock,
        gateway,
        payment_notices,
        callback_url=settings.public_url.rstrip("/") + settings.payment_callback_path,
        unpaid_within=dt.timedelta(seconds=settings.unpaid_expiry_seconds),
        dispute_window=dt.timedelta(seconds=settings.dispute_window_seconds),
    )
    payouts = PayoutService(
        db,
        clock,
        gateway,
        payment_notices,
        idempotency,
        minimum=settings.payout_minimum,
        default_currency=settings.default_currency,
    )
    webhooks = PaystackWebhooks(db, clock, gateway, escrow, refunds, payouts)
    return _Payments(escrow=escrow, refunds=refunds, payouts=payouts, webhooks=webhooks)


def _booking_service(
    settings: Settings, db: Database, clock: Clock, gateway: PaymentGateway, idempotency: IdempotencyService
) -> tuple[_Payments, BookingService]:
    links = BookingLinks(settings.public_url)
    notices = BookingNotices(links, clock)
    payments = _payments(settings, db, clock, gateway, idempotency, notices)
    bookings = BookingService(db, clock, payments.escrow, idempotency, notices, links, _booking_policy(settings))
    return payments, bookings


_SERVICE_FIELDS: dict[type[Any], str] = {}
"""Container.service's answers: the member name holding each service class."""


class Container(msgspec.Struct, kw_only=True):
    settings: Settings
    db: Database
    integrations: Integrations
    readiness: ReadinessService
    sessions: SessionService
    registration: RegistrationService
    recovery: RecoveryService
    accounts: AccountService
    idempotency: IdempotencyService
    escrow: EscrowService
    refunds: RefundService
    payouts: PayoutService
    earning_lines: EarningLinesService
    paystack_webhooks: PaystackWebhooks
    ledger: LedgerAuditor
    bookings: BookingService
    expert_profiles: ExpertProfileService
    expert_areas: AreaService
    expert_availability: AvailabilityService
    slots: SlotService
    slot_reasons: SlotReasons
    marketplace: MarketplaceService
    directory_index: DirectoryIndex
    notifications: NotificationService
    notification_stream: NotificationStreamService
    email_delivery: EmailDeliveryService
    reminders: ReminderService
    calls: CallService
    avatars: AvatarService
    reviews: ReviewService
    favorites: FavoriteService
    blocks: BlockService
    calendar_feeds: CalendarFeedService
    disputes: DisputeService
    client_money: ClientMoneyService
    earnings: EarningsService
    admin_users: AdminUserService
    admin_experts: AdminExpertService
    admin_bookings: AdminBookingService
    admin_money: AdminMoneyService
    admin_reports: AdminReportService
    admin_audit: AdminAuditService

    @classmethod
    async def create(cls, settings: Settings, integrations: Integrations | None = None) -> Container:
        db = await Database.connect(settings.database_url, min_size=settings.db_pool_min, max_size=settings.db_pool_max)
        io, video = _with_video(integrations or Integrations.real(settings), settings)
        io, storage = _with_storage(io, settings)
        clock = io.clock
        hasher = PasswordHasher(settings.bcrypt_cost)
        access = AccessTokens(settings.jwt_secret, dt.timedelta(seconds=settings.access_token_ttl_seconds))
        policy = _auth_policy(settings)
        idempotency = IdempotencyService(db, clock)
        payments, bookings = _booking_service(settings, db, clock, io.payments, idempotency)
        avatars = AvatarService(db, storage, clock, _avatar_policy(settings))
        directory_index = DirectoryIndex(db, clock)
        ledger = LedgerAuditor(db)
        return cls(
            settings=settings,
            db=db,
            integrations=io,
            readiness=ReadinessService(db, available_migrations(settings.migrations_dir)),
            sessions=SessionService(db, clock, hasher, access, policy),
            registration=RegistrationService(db, clock, hasher, access, policy, io.google),
            recovery=RecoveryService(db, clock, hasher, policy),
            accounts=AccountService(db, clock, hasher),
            idempotency=idempotency,
            escrow=payments.escrow,
            refunds=payments.refunds,
            payouts=payments.payouts,
            earning_lines=EarningLinesService(db),
            paystack_webhooks=payments.webhooks,
            ledger=ledger,
            bookings=bookings,
            expert_profiles=ExpertProfileService(db, clock),
            expert_areas=AreaService(db),
            expert_availability=AvailabilityService(db),
            slots=SlotService(db, clock),
            slot_reasons=SlotReasons(db, clock),
            marketplace=MarketplaceService(db, clock, avatars, directory_index),
            directory_index=directory_index,
            notifications=NotificationService(
                db,
                clock,
                public_url=settings.public_url,
                unread_email_after=dt.timedelta(seconds=settings.important_unread_email_after_seconds),
            ),
            notification_stream=NotificationStreamService(
                db,
                clock,
                NotificationHub(settings.database_url),
                ticket_ttl=dt.timedelta(seconds=settings.stream_ticket_ttl_seconds),
                heartbeat_seconds=settings.sse_heartbeat_seconds,
                max_per_user=settings.max_streams_per_user,
            ),
            email_delivery=EmailDeliveryService(
                db, clock, io.mail, mail_from=settings.mail_from, public_url=settings.public_url
            ),
            reminders=ReminderService(db, clock, BookingReminderReader(BookingLinks(settings.public_url))),
            calls=CallService(db, clock, video, payments.escrow, _call_policy(settings)),
            avatars=avatars,
            reviews=ReviewService(db, clock),
            favorites=FavoriteService(db, clock, avatars, directory_index),
            blocks=BlockService(db, clock, bookings),
            client_money=ClientMoneyService(db),
            earnings=EarningsService(db),
            disputes=DisputeService(db, clock, payments.escrow, dt.timedelta(seconds=settings.dispute_window_seconds)),
            calendar_feeds=CalendarFeedService(db, clock, BookingLinks(settings.public_url), settings.public_url),
            admin_users=AdminUserService(db, clock, policy),
            admin_experts=AdminExpertService(db, clock),
            admin_bookings=AdminBookingService(db, clock, bookings),
            admin_money=AdminMoneyService(db, clock, ledger, payments.escrow),
            admin_reports=AdminReportService(db),
            admin_audit=AdminAuditService(db),
        )

    def service(self, kind: type[S]) -> S:
        """The one member that is a ``kind``: how handlers and jobs name what they call, by its class,
        so a wrong name fails type checking instead of a lookup at run time.

        Which member that is is found once per class (every request asks: scanning all members
        each time cost more than the rest of resolving a handler's dependencies)."""
        name = _SERVICE_FIELDS.get(kind)
        if name is None:
            found = [name for name in self.__struct_fields__ if isinstance(getattr(self, name), kind)]
            if len(found) != 1:
                raise LookupError(f"bootstrap.Container has {len(found)} members of type {kind.__name__}, not one")
            name = _SERVICE_FIELDS[kind] = found[0]
        service: S = getattr(self, name)
        return service

    async def close(self) -> None:
        for name in self.integrations.__struct_fields__:
            closer = getattr(getattr(self.integrations, name), "aclose", None)
            if closer is not None:
                await closer()
        await self.notification_stream.close()
        await self.db.close()
