"""Paystack webhook payloads, read into our own reports (only the fields our rules act on).

Bodies are ``{"event": ..., "data": {...}}``. Events carry no id of their own: a delivery is known by
(event, ``data.reference`` or ``data.id``). Parsing is lax about numbers sent as strings, as
Paystack is; anything else unexpected is :class:`MalformedEvent`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from procus.domain.payments import ChargeReport

__all__ = [
    "MalformedEvent",
    "RefundReport",
    "TransferReport",
    "WebhookEnvelope",
    "charge_report",
    "decode_envelope",
    "delivery_key",
    "refund_report",
    "transfer_report",
]


class MalformedEvent(ValueError):
    pass


class WebhookEnvelope(msgspec.Struct, frozen=True):
    event: str
    data: dict[str, Any]


class RefundReport(msgspec.Struct, frozen=True, kw_only=True):
    """A refund.* event: ``status`` pending, processing, processed, failed (or needs-attention)."""

    id: int
    status: str
    transaction_reference: str
    amount: int
    currency: str


class TransferReport(msgspec.Struct, frozen=True, kw_only=True):
    """A transfer.* event; ``reference`` is our payout's reference."""

    reference: str
    status: str
    amount: int
    currency: str
    transfer_code: str | None = None
    reason: str | None = None


class _Charge(msgspec.Struct, frozen=True):
    id: int
    reference: str
    status: str
    amount: int
    currency: str
    paid_at: dt.datetime | None = None


def decode_envelope(body: bytes) -> WebhookEnvelope:
    try:
        return msgspec.json.decode(body, type=WebhookEnvelope)
    except msgspec.DecodeError as exc:
        raise MalformedEvent(f"not a Paystack webhook body: {exc}") from None


def delivery_key(envelope: WebhookEnvelope) -> str | None:
    value = envelope.data.get("reference") or envelope.data.get("id")
    return None if value is None or isinstance(value, dict | list) else str(value)


def _convert(data: dict[str, Any], type_: type[Any]) -> Any:
    try:
        return msgspec.convert(data, type_, strict=False)
    except msgspec.ValidationError as exc:
        raise MalformedEvent(str(exc)) from None


def _positive(amount: int) -> int:
    if amount <= 0:
        raise MalformedEvent(f"amount {amount} is not positive")
    return amount


def charge_report(data: dict[str, Any]) -> ChargeReport:
    charge: _Charge = _convert(data, _Charge)
    if charge.status != "success":
        raise MalformedEvent(f"charge.success with status {charge.status!r}")
    return ChargeReport(
        reference=charge.reference,
        transaction_id=charge.id,
        amount=_positive(charge.amount),
        currency=charge.currency.upper(),
        paid_at=charge.paid_at,
    )


def refund_report(data: dict[str, Any]) -> RefundReport:
    report: RefundReport = _convert(data, RefundReport)
    _positive(report.amount)
    return report


def transfer_report(data: dict[str, Any]) -> TransferReport:
    report: TransferReport = _convert(data, TransferReport)
    _positive(report.amount)
    return msgspec.structs.replace(report, currency=report.currency.upper())
