"""Learning who is in a call's room: signed webhooks from the video server, and asking it ourselves.

Webhooks may come late, twice, out of order or not at all. Each is stored once (by its event id)
and attendance is recomputed from the whole set (``procus.domain.attendance``). While a call is
live, :meth:`CallAttendance.reconcile_live_calls` lists the room's participants, so a lost
``participant_joined`` (or ``participant_left``) cannot change who is counted as present.
"""

from __future__ import annotations

import enum
import logging

from procus.domain.attendance import absence, from_webhook, observation
from procus.domain.calls import CallRecord
from procus.domain.errors import ServiceUnavailable
from procus.services.calls.core import CallContext
from procus.store import attendance as attendance_store
from procus.store import calls as call_store

__all__ = ["CallAttendance", "WebhookOutcome"]

log = logging.getLogger(__name__)


class WebhookOutcome(enum.StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    """Verified, but about nothing we track (another event, another room, someone else)."""


class CallAttendance:
    def __init__(self, context: CallContext) -> None:
        self._ctx = context

    async def record_webhook(self, raw_body: bytes, authorization: str | None) -> WebhookOutcome:
        """Verify the signature over the exact body (``AuthenticationFailed`` otherwise, nothing stored),
        then store the attendance fact it carries, once."""
        event = self._ctx.video.webhooks.verify(raw_body, authorization)
        fact = from_webhook(event)
        if fact is None or event.room is None:
            return WebhookOutcome.IGNORED
        now = self._ctx.clock.now()
        async with self._ctx.db.transaction() as tx:
            call = await call_store.lock_call_by_room(tx, event.room)
            if call is None or (fact.identity is not None and fact.identity not in _parties(call)):
                return WebhookOutcome.IGNORED
            if not await attendance_store.insert_event(tx, call.call_id, fact, source="webhook", received_at=now):
                return WebhookOutcome.DUPLICATE
            await self._ctx.refresh(tx, call, now)
        return WebhookOutcome.RECORDED

    async def reconcile_live_calls(self) -> int:
        """Compare every live call's room with what we know; returns how many new facts were recorded.

        A call whose room cannot be listed now is skipped (the next run tries again).
        """
        now = self._ctx.clock.now()
        async with self._ctx.db.connection() as conn:
            live = await call_store.live_calls(
                conn, now, join_early=self._ctx.policy.join_early, grace=self._ctx.policy.grace
            )
        recorded = 0
        for call in live:
            try:
                recorded += await self.observe(call)
            except ServiceUnavailable:
                log.warning("could not list the participants of a call", extra={"booking_id": str(call.booking_id)})
        return recorded

    async def observe(self, call: CallRecord) -> int:
        """Record who the server lists in the room now, and which sessions we thought open have ended."""
        listed_at = self._ctx.clock.now()
        participants = await self._ctx.video.rooms.list_participants(call.room)
        async with self._ctx.db.transaction() as tx:
            locked = await call_store.lock_call_by_room(tx, call.room)
            if locked is None or locked.finished:
                return 0
            parties = _parties(locked)
            connected = [p for p in participants if p.identity in parties]
            facts = [observation(participant, listed_at) for participant in connected]
            known = await attendance_store.list_events(tx, locked.call_id)
            facts += absence(known, {p.sid for p in connected}, listed_at)
            recorded = 0
            for fact in facts:
                recorded += await attendance_store.insert_event(
                    tx, locked.call_id, fact, source="reconcile", received_at=listed_at
                )
            if recorded:
                await self._ctx.refresh(tx, locked, listed_at)
        return recorded


def _parties(call: CallRecord) -> set[str]:
    return {str(call.client_id), str(call.expert_id)}
