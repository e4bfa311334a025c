"""The real Paystack client: our :class:`~procus.services.ports.payment_gateway.PaymentGateway`.

Which calls are retried, and why refund creation never is, is explained in :mod:`.transport`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Protocol, Self
from urllib.parse import quote

import httpx

from procus.domain.errors import InvalidInput
from procus.domain.gateway import (
    Bank,
    InitializedCheckout,
    PaymentWebhook,
    RefundResult,
    TransferRecipient,
    TransferResult,
    VerifiedTransaction,
)

from .signatures import verify_paystack_signature
from .transport import DEFAULT_TIMEOUT, PaystackTransport
from .webhooks import read_webhook
from .wire import BankPage, InitializeData, RecipientData, RefundData, TransactionData, TransferData, data_of, decode

__all__ = ["DEFAULT_TIMEOUT", "PaystackClient", "PaystackSettings"]

_MAX_BANK_PAGES = 20


class PaystackSettings(Protocol):
    @property
    def paystack_secret_key(self) -> str: ...

    @property
    def paystack_base_url(self) -> str: ...


class PaystackClient:
    """Async Paystack REST client. Use as ``async with`` or call :meth:`aclose`."""

    def __init__(
        self,
        secret_key: str,
        base_url: str = "https://api.paystack.co",
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_attempts: int = 3,
        backoff_base: float = 0.25,
        backoff_max: float = 2.0,
    ) -> None:
        self._secret_key = secret_key
        self._transport = PaystackTransport(
            secret_key,
            base_url,
            timeout=timeout,
            max_attempts=max_attempts,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
        )

    @classmethod
    def from_settings(cls, settings: PaystackSettings, **options: Any) -> PaystackClient:
        return cls(settings.paystack_secret_key, settings.paystack_base_url, **options)

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def verify_webhook_signature(self, raw_body: bytes, signature: str | None) -> bool:
        return verify_paystack_signature(self._secret_key, raw_body, signature)

    def read_webhook(self, raw_body: bytes, signature: str | None) -> PaymentWebhook:
        return read_webhook(self._secret_key, raw_body, signature)

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
        _require_positive(amount)
        payload = {
            "email": email,
            "amount": amount,
            "currency": currency,
            "reference": reference,
            **_given(callback_url=callback_url, metadata=metadata),
        }
        content = await self._transport.send("POST", "/transaction/initialize", json=payload, repeatable=True)
        return data_of(content, InitializeData).to_domain()

    async def verify_transaction(self, reference: str) -> VerifiedTransaction:
        content = await self._transport.send(
            "GET", f"/transaction/verify/{_segment(reference)}", repeatable=True, not_found_code="transaction_not_found"
        )
        return data_of(content, TransactionData).to_domain()

    async def create_refund(
        self,
        *,
        transaction_reference: str,
        amount: int,
        currency: str,
        customer_note: str | None = None,
        merchant_note: str | None = None,
    ) -> RefundResult:
        _require_positive(amount)
        payload = {
            "transaction": transaction_reference,
            "amount": amount,
            "currency": currency,
            **_given(customer_note=customer_note, merchant_note=merchant_note),
        }
        content = await self._transport.send("POST", "/refund", json=payload, repeatable=False)
        return data_of(content, RefundData).to_domain()

    async def fetch_refund(self, refund_id: int) -> RefundResult:
        content = await self._transport.send(
            "GET", f"/refund/{int(refund_id)}", repeatable=True, not_found_code="refund_not_found"
        )
        return data_of(content, RefundData).to_domain()

    async def create_transfer_recipient(
        self, *, name: str, account_number: str, bank_code: str, currency: str
    ) -> TransferRecipient:
        payload = {
            "type": "nuban",
            "name": name,
            "account_number": account_number,
            "bank_code": bank_code,
            "currency": currency,
        }
        # Paystack returns the existing recipient for the same account, so repeating is harmless.
        content = await self._transport.send("POST", "/transferrecipient", json=payload, repeatable=True)
        return data_of(content, RecipientData).to_domain(bank_code=bank_code, account_number=account_number)

    async def initiate_transfer(
        self, *, amount: int, currency: str, recipient_code: str, reference: str, reason: str | None = None
    ) -> TransferResult:
        _require_positive(amount)
        payload = {
            "source": "balance",
            "amount": amount,
            "currency": currency,
            "recipient": recipient_code,
            "reference": reference,
            **_given(reason=reason),
        }
        content = await self._transport.send("POST", "/transfer", json=payload, repeatable=True)
        return data_of(content, TransferData).to_domain(reference)

    async def verify_transfer(self, reference: str) -> TransferResult:
        content = await self._transport.send(
            "GET", f"/transfer/verify/{_segment(reference)}", repeatable=True, not_found_code="transfer_not_found"
        )
        return data_of(content, TransferData).to_domain(reference)

    async def list_banks(self, currency: str) -> list[Bank]:
        params: dict[str, str | int] = {"currency": currency, "perPage": 100, "use_cursor": "true"}
        banks: list[Bank] = []
        for _ in range(_MAX_BANK_PAGES):
            content = await self._transport.send("GET", "/bank", params=params, repeatable=True)
            page = decode(content, BankPage)
            banks.extend(bank.to_domain(currency) for bank in page.data if bank.active and not bank.is_deleted)
            if not page.meta.next:
                break
            params["next"] = page.meta.next
        return banks


def _given(**fields: Any) -> dict[str, Any]:
    """The optional fields that were given; the others stay out of the request."""
    return {name: value for name, value in fields.items() if value is not None}


def _require_positive(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise InvalidInput("invalid_amount", "amount must be a positive integer in minor units", field="amount")


def _segment(value: str) -> str:
    if not value:
        raise InvalidInput("invalid_reference", "a reference is required", field="reference")
    return quote(value, safe="")
