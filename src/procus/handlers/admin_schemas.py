"""Request and response shapes shared by the admin controllers."""

from __future__ import annotations

from typing import Annotated

import msgspec

from procus.domain.reasons import MAX_REASON

__all__ = ["RequiredReason"]


class RequiredReason(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON, description="Kept in the audit")]
