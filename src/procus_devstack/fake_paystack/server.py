"""Run the fake with uvicorn: ``python -m procus_devstack.fake_paystack`` or from the dev runner.

Defaults come from the app settings (``PAYSTACK_SECRET_KEY``; host and port from
``PAYSTACK_BASE_URL``) so the real client and the fake agree without configuration. Webhooks go to
``--webhook-url`` / ``FAKE_PAYSTACK_WEBHOOK_URL``; without one they are only recorded.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from urllib.parse import urlsplit

import uvicorn

from procus.config import load_settings

from .app import create_app
from .engine import FakePaystack
from .webhooks import WebhookPolicy

__all__ = ["build_server", "main", "serve"]


def build_server(
    *,
    host: str = "127.0.0.1",
    port: int = 8010,
    secret_key: str,
    webhook_url: str | None = None,
    public_url: str | None = None,
    settle_seconds: float | None = 2.0,
    webhook_policy: WebhookPolicy | None = None,
    log_level: str = "info",
    max_requests: int = 2000,
) -> uvicorn.Server:
    """A configured, not yet started server; ``await server.serve()`` runs it in the current loop."""
    fake = FakePaystack(
        secret_key=secret_key,
        public_url=public_url or f"http://{host}:{port}",
        webhook_url=webhook_url,
        settle_seconds=settle_seconds,
        webhook_policy=webhook_policy,
        max_requests=max_requests,
    )
    config = uvicorn.Config(create_app(fake), host=host, port=port, log_level=log_level, lifespan="on")
    return uvicorn.Server(config)


def serve(
    host: str,
    port: int,
    secret_key: str,
    webhook_url: str | None,
    *,
    settle_seconds: float | None = 2.0,
    log_level: str = "info",
    max_requests: int = 2000,
) -> None:
    """Run until interrupted."""
    build_server(
        host=host,
        port=port,
        secret_key=secret_key,
        webhook_url=webhook_url,
        settle_seconds=settle_seconds,
        log_level=log_level,
        max_requests=max_requests,
    ).run()


def main(argv: Sequence[str] | None = None) -> None:
    settings = load_settings()
    base = urlsplit(settings.paystack_base_url)
    parser = argparse.ArgumentParser(prog="fake-paystack", description="Local stand-in for the Paystack API.")
    parser.add_argument("--host", default=base.hostname or "127.0.0.1")
    parser.add_argument("--port", type=int, default=base.port or 8010)
    parser.add_argument("--secret-key", default=settings.paystack_secret_key)
    parser.add_argument("--webhook-url", default=os.environ.get("FAKE_PAYSTACK_WEBHOOK_URL") or None)
    parser.add_argument(
        "--settle-seconds",
        type=float,
        default=float(os.environ.get("FAKE_PAYSTACK_SETTLE_SECONDS", "2")),
        help="refunds and transfers settle after this delay; negative: only through /_fake controls",
    )
    parser.add_argument("--log-level", default="info", help="uvicorn's log level (info logs every request)")
    parser.add_argument("--keep-requests", type=int, default=2000, help="API requests kept for /_fake/requests")
    args = parser.parse_args(argv)
    settle = args.settle_seconds if args.settle_seconds >= 0 else None
    serve(
        args.host,
        args.port,
        args.secret_key,
        args.webhook_url,
        settle_seconds=settle,
        log_level=args.log_level,
        max_requests=args.keep_requests,
    )
