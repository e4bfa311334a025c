"""Provider webhooks received (``webhook_events``): the record that makes a redelivery a no-op."""

from __future__ import annotations

import datetime as dt
from typing import Any

from procus.store.db import Connection

__all__ = ["already_recorded", "record_webhook_event", "set_webhook_outcome"]

INSERT_EVENT = """
INSERT INTO webhook_events (provider, event, key, outcome, payload, received_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (provider, event, key) DO NOTHING
RETURNING id
"""
SELECT_RECORDED = "SELECT EXISTS (SELECT 1 FROM webhook_events WHERE provider = $1 AND event = $2 AND key = $3)"
UPDATE_OUTCOME = "UPDATE webhook_events SET outcome = $4 WHERE provider = $1 AND event = $2 AND key = $3"


async def record_webhook_event(
    conn: Connection, *, provider: str, event: str, key: str, outcome: str, payload: Any, at: dt.datetime
) -> bool:
    """Remember a delivery; False if the same (event, key) was already recorded (a redelivery)."""
    return await conn.fetchval(INSERT_EVENT, provider, event, key, outcome, payload, at) is not None


async def set_webhook_outcome(conn: Connection, *, provider: str, event: str, key: str, outcome: str) -> None:
    await conn.execute(UPDATE_OUTCOME, provider, event, key, outcome)


async def already_recorded(conn: Connection, *, provider: str, event: str, key: str) -> bool:
    recorded: bool = await conn.fetchval(SELECT_RECORDED, provider, event, key)
    return recorded
