"""/v1/webhooks/paystack and /v1/payments: Paystack's notifications and the checkout callback's check."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import Parameter

from procus.domain.accounts import Principal
from procus.handlers.payment_schemas import PaymentOut, WebhookAck
from procus.handlers.schemas import WEBHOOK_MAX_BYTES
from procus.services.payments import EscrowService, PaystackWebhooks

__all__ = ["PaymentsController", "PaystackWebhookController"]

SIGNATURE_HEADER = "x-paystack-signature"


class PaystackWebhookController(Controller):
    path = "/v1/webhooks/paystack"
    tags = ["payments"]

    @post(operation_id="receivePaystackWebhook", status_code=200, request_max_body_size=WEBHOOK_MAX_BYTES)
    async def receive(self, request: Request[Any, Any, Any], paystack_webhooks: PaystackWebhooks) -> WebhookAck:
        """Signed by Paystack (HMAC-SHA512 of the raw body); 401 when the signature is missing or wrong."""
        body = await request.body()
        return WebhookAck(await paystack_webhooks.receive(body, request.headers.get(SIGNATURE_HEADER)))


class PaymentsController(Controller):
    path = "/v1/payments"
    tags = ["payments"]

    @get("/{reference:str}/verify", operation_id="verifyPayment")
    async def verify(
        self,
        reference: Annotated[str, Parameter(max_length=100)],
        escrow: EscrowService,
        principal: Principal,
    ) -> PaymentOut:
        """Ask Paystack for the payment's outcome now (the checkout callback page, or a late webhook)."""
        return PaymentOut.of(await escrow.verify(principal, reference))
