"""Paystack's refusals mapped onto our error hierarchy."""

from __future__ import annotations

import msgspec

from procus.domain.errors import Conflict, DomainError, InvalidInput, NotFound, ServiceUnavailable

from .wire import ErrorBody

__all__ = ["provider_unavailable", "refusal_error"]


def _message(status_code: int, body: bytes) -> tuple[str, str]:
    try:
        parsed = msgspec.json.decode(body, type=ErrorBody, strict=False)
    except msgspec.DecodeError:
        return f"Paystack answered HTTP {status_code}", ""
    return parsed.message or f"Paystack answered HTTP {status_code}", parsed.code or ""


def refusal_error(status_code: int, body: bytes, *, not_found_code: str | None) -> DomainError:
    """The domain error for a 4xx answer. ``not_found_code`` is given only for lookups."""
    message, code = _message(status_code, body)
    lowered = message.lower()
    if status_code in (401, 403):
        return ServiceUnavailable("payment_provider_auth_failed", f"Paystack refused our credentials: {message}")
    if "duplicate" in lowered and "reference" in lowered:
        return Conflict("duplicate_reference", message)
    if not_found_code and (status_code == 404 or code.endswith("not_found") or "not found" in lowered):
        return NotFound(not_found_code, message)
    return InvalidInput("payment_rejected", message)


def provider_unavailable(detail: str) -> ServiceUnavailable:
    return ServiceUnavailable("payment_provider_unavailable", detail)
