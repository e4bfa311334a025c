"""Typed settings, read once from environment variables.

Every field is read from the environment variable of the same name in upper case
(``database_url`` <- ``DATABASE_URL``). Development defaults work with no configuration at all;
production refuses to start with a development secret (see :meth:`Settings.check`).
The README lists every variable with its default.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

import msgspec

from procus.domain.limits import AVATAR_MAX_BYTES

__all__ = ["PROJECT_ROOT", "Settings", "get_settings", "load_settings"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET = "dev-only-insecure-secret-change-me-0123456789"


def _default_migrations_dir() -> str:
    return str(PROJECT_ROOT / "migrations")


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    app_env: Literal["development", "test", "production"] = "development"
    public_url: str = "http://127.0.0.1:8000"
    """Where people reach the SPA and API; used in emails, callback URLs and join links."""

    # database
    database_url: str = ""
    """PostgreSQL DSN. Empty: only `python -m procus_devstack` (the dev stack) runs, on an embedded PostgreSQL."""
    db_pool_min: int = 1
    db_pool_max: int = 10
    migrations_dir: str = msgspec.field(default_factory=_default_migrations_dir)
    data_dir: str = msgspec.field(default_factory=lambda: str(PROJECT_ROOT / ".data"))

    # HTTP
    cors_origins: list[str] = msgspec.field(default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:5173"])
    redis_url: str = ""
    rate_limit_global_per_minute: int = 600
    rate_limit_auth_per_minute: int = 30
    trust_proxy_headers: bool = False
    trusted_proxy_hops: int = 1
    """How many reverse proxies of ours append to `X-Forwarded-For`; the caller is that many entries from the right."""
    log_level: str = "INFO"
    log_json: bool = True
    sentry_dsn: str = ""
    metrics_token: str = ""
    """Bearer token the Prometheus scraper sends to `/metrics`. Empty: `/metrics` exists in development only."""
    spa_dist_dir: str = msgspec.field(default_factory=lambda: str(PROJECT_ROOT / "frontend" / "dist"))

    # auth
    jwt_secret: str = DEV_SECRET
    access_token_ttl_seconds: int = 15 * 60
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    bcrypt_cost: int = 12
    google_userinfo_url: str = "https://www.googleapis.com/oauth2/v3/userinfo"
    google_client_id: str = ""
    """OAuth client ID of the web app for Google sign-in. Empty: the SPA offers no Google button."""
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    """Failed (or undecided) sign-ins from one address before its next attempt must wait. Higher than the
    per-email allowance: an office or a carrier's NAT signs many people in from one address at once."""
    login_failure_window_seconds: int = 15 * 60
    login_delay_base_seconds: int = 2
    """Wait after the first sign-in failure beyond `LOGIN_MAX_FAILURES`; it doubles with each further one."""
    login_delay_max_seconds: int = 5 * 60
    """Longest wait between sign-in attempts for one email or address, however many have failed."""
    password_reset_ttl_seconds: int = 3600
    password_reset_cooldown_seconds: int = 5 * 60
    """At most one password-reset mail per account in this many seconds; the link already sent keeps working.
    Also the window for the mail telling an account's owner that someone tried to register their address
    (registration answers 202 alike for new and taken addresses)."""
    email_verification_ttl_seconds: int = 3 * 24 * 3600

    # bookings and money
    platform_fee_bps: int = 1000
    request_expiry_seconds: int = 24 * 3600
    unpaid_expiry_seconds: int = 30 * 60
    late_cancel_window_seconds: int = 0
    late_cancel_refund_bps: int = 10_000
    dispute_window_seconds: int = 24 * 3600
    """How long after a call's scheduled end its client may dispute it; the expert is paid then (0: at once)."""
    payout_minimum: int = 100_00
    default_currency: str = "NGN"
    paystack_secret_key: str = "sk_test_procus_dev_secret"
    paystack_base_url: str = "http://127.0.0.1:8010"
    payment_callback_path: str = "/payments/callback"
    """The SPA page Paystack sends the payer back to (it appends ``?reference=``)."""
    refund_retry_base_seconds: int = 5 * 60
    refund_max_attempts: int = 6

    # video
    livekit_url: str = "ws://127.0.0.1:7880"
    livekit_api_url: str = "http://127.0.0.1:7880"
    livekit_api_key: str = "devkey"
    livekit_api_secret: str = "procus-dev-livekit-secret-at-least-32-chars"
    livekit_token_ttl_seconds: int = 2 * 3600
    call_join_early_seconds: int = 10 * 60
    call_grace_seconds: int = 15 * 60
    no_show_after_seconds: int = 15 * 60
    livekit_room_empty_timeout_seconds: int = 120
    """How long LiveKit keeps a call's room open with nobody in it."""
    livekit_api_timeout_seconds: float = 5.0
    """Longest wait for one LiveKit RoomService call before the API answers 503 video_unavailable."""

    # mail
    smtp_host: str = ""
    smtp_port: int = 1025
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_tls: Literal["none", "starttls", "tls"] = "none"
    mail_from: str = "ProcusMeet <no-reply@procus.local>"
    important_unread_email_after_seconds: int = 10 * 60

    # notifications and background jobs
    sse_heartbeat_seconds: int = 15
    """How often an idle notification stream sends a keep-alive comment."""
    stream_ticket_ttl_seconds: int = 60
    max_streams_per_user: int = 10
    """Notification streams one user may hold open at once, counted across every API process (one per browser tab)."""
    worker_batch_size: int = 10
    """Jobs one ``procus worker`` process picks per query; it runs at most twice as many at once."""
    worker_metrics_port: int = 0
    """Port on 127.0.0.1 where ``procus worker`` serves its Prometheus metrics (jobs run, by outcome). 0: off."""

    # storage
    s3_endpoint: str = "127.0.0.1:9000"
    s3_access_key: str = "procus-dev"
    s3_secret_key: str = "procus-dev-secret"
    s3_bucket: str = "procus"
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    """Region of the bucket; presigned URLs are signed for it (MinIO's default is `us-east-1`)."""
    s3_public_url: str = ""
    """Where browsers reach the storage for presigned URLs, as `scheme://host:port`. Empty: `S3_ENDPOINT`."""
    s3_timeout_seconds: float = 5.0
    """Longest wait for one object-storage call before the API answers 503 storage_unavailable."""
    avatar_max_bytes: int = AVATAR_MAX_BYTES
    """Largest accepted avatar image (PNG, JPEG or WebP), in bytes."""
    avatar_url_ttl_seconds: int = 15 * 60
    """How long an avatar's presigned URL works after the API hands it out."""

    @property
    def storage_public_origin(self) -> str:
        """The origin browsers load stored files from (presigned URLs): `S3_PUBLIC_URL`, else `S3_ENDPOINT`."""
        if self.s3_public_url:
            parts = urlsplit(self.s3_public_url)
            return f"{parts.scheme}://{parts.netloc}"
        return f"{'https' if self.s3_secure else 'http'}://{self.s3_endpoint}"

    @property
    def is_development(self) -> bool:
        return self.app_env == "development"

    @property
    def is_production(self) -> bool:
        return self.app_env == "production"

    def check(self) -> None:
        """Refuse unsafe production configuration early, at start-up rather than at first use."""
        if self.is_production:
            if self.jwt_secret == DEV_SECRET or len(self.jwt_secret) < 32:
                raise ValueError("JWT_SECRET must be set to 32+ random characters in production")
            if not self.database_url:
                raise ValueError("DATABASE_URL is required in production")
            if not self.smtp_host:
                raise ValueError("SMTP_HOST is required in production (empty means the development mail catcher)")


NO_DATABASE = (
    "DATABASE_URL is empty. Set it, or in development run the command through the dev stack, which "
    "starts an embedded PostgreSQL: `python -m procus_devstack <command>` (what `just dev` and `just migrate` do)."
)
"""Why a process without ``DATABASE_URL`` stops: the embedded database is the dev stack's, not the app's."""


def _field_names() -> tuple[str, ...]:
    return Settings.__struct_fields__


def load_settings(environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``environ`` (default: the process environment) plus explicit overrides."""
    env = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    for name in _field_names():
        value = env.get(name.upper())
        if value is None:
            continue
        if name == "cors_origins":
            raw[name] = [origin.strip() for origin in value.split(",") if origin.strip()]
        else:
            raw[name] = value
    raw.update(overrides)
    settings = msgspec.convert(raw, Settings, strict=False)
    settings.check()
    return settings


@functools.cache
def get_settings() -> Settings:
    return load_settings()
