"""Paystack webhook deliveries, verified and read into our own reports (only the fields our rules act on).

Bodies are ``{"event": ..., "data": {...}}``, signed with ``x-paystack-signature``
(:mod:`.signatures`). Events carry no id of their own: a delivery is known by (event,
``data.reference`` or ``data.id``). Reading is lax about numbers sent as strings, as Paystack is;
anything else unexpected in an event we act on is reported as unreadable. The status a refund or
transfer event announces is its name (``refund.processed`` -> ``processed``), which is authoritative.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from procus.domain.errors import AuthenticationFailed, InvalidInput
from procus.domain.gateway import PaymentWebhook, RefundReport, TransferReport
from procus.domain.payments import ChargeReport
from procus.integrations.paystack.signatures import verify_paystack_signature

__all__ = ["read_webhook"]

_REFUND_EVENTS = frozenset({"refund.pending", "refund.processing", "refund.processed", "refund.failed"})
_TRANSFER_EVENTS = frozenset({"transfer.success", "transfer.failed", "transfer.reversed"})


class _Unreadable(ValueError):
    pass


class _Envelope(msgspec.Struct, frozen=True):
    event: str
    data: dict[str, Any]


class _Charge(msgspec.Struct, frozen=True):
    id: int
    reference: str
    status: str
    amount: int
    currency: str
    paid_at: dt.datetime | None = None


def read_webhook(secret: str, raw_body: bytes, signature: str | None) -> PaymentWebhook:
    """Verify the signature over the exact bytes (``AuthenticationFailed``, before anything is parsed),
    then read the delivery (``InvalidInput("malformed_webhook")`` if it is not a webhook body at all)."""
    if not verify_paystack_signature(secret, raw_body, signature):
        raise AuthenticationFailed("invalid_signature", "The webhook signature is missing or wrong")
    try:
        envelope = msgspec.json.decode(raw_body, type=_Envelope)
    except msgspec.DecodeError as exc:
        raise InvalidInput("malformed_webhook", f"not a Paystack webhook body: {exc}") from None
    delivery = PaymentWebhook(event=envelope.event, key=_delivery_key(envelope), data=envelope.data)
    try:
        report = _report(envelope)
    except _Unreadable as exc:
        return msgspec.structs.replace(delivery, unreadable=str(exc))
    return msgspec.structs.replace(delivery, report=report)


def _delivery_key(envelope: _Envelope) -> str | None:
    value = envelope.data.get("reference") or envelope.data.get("id")
    return None if value is None or isinstance(value, dict | list) else str(value)


def _report(envelope: _Envelope) -> ChargeReport | RefundReport | TransferReport | None:
    event, data = envelope.event, envelope.data
    if event == "charge.success":
        return _charge_report(data)
    status = event.partition(".")[2]
    if event in _REFUND_EVENTS:
        refund: RefundReport = _convert(data, RefundReport)
        _positive(refund.amount)
        return msgspec.structs.replace(refund, status=status)
    if event in _TRANSFER_EVENTS:
        transfer: TransferReport = _convert(data, TransferReport)
        _positive(transfer.amount)
        return msgspec.structs.replace(transfer, currency=transfer.currency.upper(), status=status)
    return None


def _convert(data: dict[str, Any], type_: type[Any]) -> Any:
    try:
        return msgspec.convert(data, type_, strict=False)
    except msgspec.ValidationError as exc:
        raise _Unreadable(str(exc)) from None


def _positive(amount: int) -> int:
    if amount <= 0:
        raise _Unreadable(f"amount {amount} is not positive")
    return amount


def _charge_report(data: dict[str, Any]) -> ChargeReport:
    charge: _Charge = _convert(data, _Charge)
    if charge.status != "success":
        raise _Unreadable(f"charge.success with status {charge.status!r}")
    return ChargeReport(
        reference=charge.reference,
        transaction_id=charge.id,
        amount=_positive(charge.amount),
        currency=charge.currency.upper(),
        paid_at=charge.paid_at,
    )
