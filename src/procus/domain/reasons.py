"""Reasons people give for actions that affect someone else: trimmed, bounded, sometimes required."""

from __future__ import annotations

from procus.domain.errors import InvalidInput

__all__ = ["MAX_REASON", "validate_reason"]

MAX_REASON = 1000


def validate_reason(reason: str | None, *, required: bool = True) -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise InvalidInput("reason_required", "Say why, in a few words", field="reason")
    if len(text) > MAX_REASON:
        raise InvalidInput("reason_too_long", f"the reason may be at most {MAX_REASON} characters", field="reason")
    return text or None
