"""The headers of retry-safe POSTs: ``Idempotency-Key`` in, ``Idempotent-Replayed`` out."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

from procus.services.idempotency import IDEMPOTENCY_HEADER

__all__ = ["REPLAYED_HEADER", "IdempotencyKey", "replay_headers"]

REPLAYED_HEADER = "Idempotent-Replayed"

IdempotencyKey = Annotated[
    str | None,
    Parameter(
        header=IDEMPOTENCY_HEADER,
        max_length=255,
        description="Retry safely: the same key and body within 24 h return the first response",
    ),
]


def replay_headers(replayed: bool) -> dict[str, str]:
    """``Idempotent-Replayed: true`` on a response that repeats the stored one."""
    return {REPLAYED_HEADER: "true"} if replayed else {}
