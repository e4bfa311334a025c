"""Reasons people give for actions that affect someone else: trimmed, bounded, sometimes required."""

from __future__ import annotations

from procus.domain.errors import InvalidInput
from procus.domain.limits import MAX_REASON_LENGTH

__all__ = ["validate_reason"]


def validate_reason(reason: str | None, *, required: bool = True) -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise InvalidInput("reason_required", "Say why, in a few words", field="reason")
    if len(text) > MAX_REASON_LENGTH:
        raise InvalidInput(
            "reason_too_long", f"the reason may be at most {MAX_REASON_LENGTH} characters", field="reason"
        )
    return text or None
