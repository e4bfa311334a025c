"""A local fake of the Paystack API for development and tests (never for production).

It is only the counterpart: it keeps Paystack's rules (auth, integer amounts, unique references,
refund limits, idempotent transfers), serves a hosted checkout page, and sends signed webhooks.
See :mod:`.control` for the ``/_fake`` test controls.
"""

from __future__ import annotations

from .app import create_app
from .engine import FakePaystack, FaultRule
from .ledger import REFUND_FAIL_CARD
from .records import SUCCESS_CARD
from .server import build_server, main, serve
from .webhooks import WebhookPolicy

__all__ = [
    "REFUND_FAIL_CARD",
    "SUCCESS_CARD",
    "FakePaystack",
    "FaultRule",
    "WebhookPolicy",
    "build_server",
    "create_app",
    "main",
    "serve",
]
