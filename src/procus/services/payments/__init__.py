"""Escrow payments with Paystack: checkouts, webhooks, refunds, payouts and the double-entry ledger."""

from __future__ import annotations

from procus.services.notices.payments import PaymentNotices

from .escrow import EscrowService
from .ledger import LedgerAuditor
from .payouts import SUBMIT_PAYOUT, SUBMIT_PAYOUT_JOB, PayoutService
from .refunds import EXECUTE_REFUND, EXECUTE_REFUND_JOB, RefundRetryPolicy, RefundService
from .webhooks import PaystackWebhooks

__all__ = [
    "EXECUTE_REFUND",
    "EXECUTE_REFUND_JOB",
    "SUBMIT_PAYOUT",
    "SUBMIT_PAYOUT_JOB",
    "EscrowService",
    "LedgerAuditor",
    "PaymentNotices",
    "PayoutService",
    "PaystackWebhooks",
    "RefundRetryPolicy",
    "RefundService",
]
