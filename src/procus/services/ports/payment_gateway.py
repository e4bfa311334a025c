"""The payment provider as the payment services see it (implemented by ``integrations.paystack``).

Every amount is integer minor units. Failures surface as domain errors:

* ``InvalidInput("payment_rejected")``: the provider refused the request (its message is the detail);
  ``InvalidInput("invalid_amount")`` is raised before sending a non-positive amount;
* ``Conflict("duplicate_reference")``: the reference was already used;
* ``NotFound("transaction_not_found" | "refund_not_found" | "transfer_not_found")`` from lookups;
* ``ServiceUnavailable("payment_provider_unavailable")``: unreachable or failing after bounded retries;
* ``ServiceUnavailable("payment_provider_auth_failed")``: our secret key was refused (configuration);
* ``ServiceUnavailable("payment_provider_bad_response")``: a 2xx answer we could not read;
* ``ServiceUnavailable("payment_provider_outcome_unknown")``: a non-repeatable request (refund
  creation) may or may not have taken effect; reconcile (webhooks, fetch) instead of repeating it.
"""

from __future__ import annotations

from typing import Any, Protocol

from procus.domain.gateway import (
    Bank,
    InitializedCheckout,
    PaymentWebhook,
    RefundResult,
    TransferRecipient,
    TransferResult,
    VerifiedTransaction,
)

__all__ = ["PaymentGateway"]


class PaymentGateway(Protocol):
    async def initialize_transaction(
        self,
        *,
        email: str,
        amount: int,
        currency: str,
        reference: str,
        callback_url: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> InitializedCheckout:
        """Open a hosted checkout. Use a fresh ``reference`` per payment attempt."""
        ...

    async def verify_transaction(self, reference: str) -> VerifiedTransaction: ...

    async def create_refund(
        self,
        *,
        transaction_reference: str,
        amount: int,
        currency: str,
        customer_note: str | None = None,
        merchant_note: str | None = None,
    ) -> RefundResult:
        """Queue a refund (usually ``pending``); the outcome arrives by refund.* webhooks or :meth:`fetch_refund`."""
        ...

    async def fetch_refund(self, refund_id: int) -> RefundResult: ...

    async def create_transfer_recipient(
        self, *, name: str, account_number: str, bank_code: str, currency: str
    ) -> TransferRecipient: ...

    async def initiate_transfer(
        self, *, amount: int, currency: str, recipient_code: str, reference: str, reason: str | None = None
    ) -> TransferResult:
        """Start a payout. ``reference`` is the idempotency key: after any failure retry with the same one."""
        ...

    async def verify_transfer(self, reference: str) -> TransferResult: ...

    async def list_banks(self, currency: str) -> list[Bank]: ...

    def read_webhook(self, raw_body: bytes, signature: str | None) -> PaymentWebhook:
        """Verify that ``signature`` signs exactly ``raw_body`` (``AuthenticationFailed`` otherwise,
        before anything is parsed), then read the delivery (``InvalidInput`` if it is no webhook)."""
        ...
