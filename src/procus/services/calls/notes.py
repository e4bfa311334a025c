"""The expert's private notes on a call: written and read by that expert alone."""

from __future__ import annotations

import uuid

from procus.domain.accounts import Principal
from procus.domain.bookings import ActorRole
from procus.domain.calls import CallNote, CallRecord
from procus.domain.errors import Conflict, InvalidInput, PermissionDenied
from procus.domain.limits import MAX_CALL_NOTE_LENGTH
from procus.services.calls.core import CallContext
from procus.store import call_notes
from procus.store import calls as call_store

__all__ = ["CallNotes"]


class CallNotes:
    def __init__(self, context: CallContext) -> None:
        self._ctx = context

    async def put(
        self, principal: Principal, booking_id: uuid.UUID, body: str, base_version: int | None = None
    ) -> CallNote:
        """Save the notes. With ``base_version`` (the version the edit started from), a save over notes
        changed since (say, in another tab) is refused with 409 ``notes_changed`` and the current notes."""
        if len(body) > MAX_CALL_NOTE_LENGTH:
            raise InvalidInput("note_too_long", f"Notes may be at most {MAX_CALL_NOTE_LENGTH} characters", field="body")
        now = self._ctx.clock.now()
        async with self._ctx.db.transaction() as tx:
            call = await call_store.get_call(tx, booking_id)
            self._require_expert(principal, call)
            saved = await call_notes.put_note(tx, call.call_id, call.expert_id, body, now, base_version=base_version)
            if saved is None:
                current = await call_notes.get_note(tx, call.call_id, call.expert_id)
        if saved is None:
            raise Conflict(
                "notes_changed",
                "These notes were changed elsewhere since you started editing; keep one version or merge them",
                current=current,
            )
        return saved

    async def get(self, principal: Principal, booking_id: uuid.UUID) -> CallNote:
        async with self._ctx.db.connection() as conn:
            call = await call_store.get_call(conn, booking_id)
            self._require_expert(principal, call)
            return await call_notes.get_note(conn, call.call_id, call.expert_id)

    def _require_expert(self, principal: Principal, call: CallRecord) -> None:
        if self._ctx.viewer(principal, call) is not ActorRole.EXPERT:
            raise PermissionDenied("notes_expert_only", "Only the call's expert can read and write its notes")
