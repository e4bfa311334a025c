"""Video calls: join tokens, attendance, ending, no-shows and the expert's notes."""

from __future__ import annotations

from procus.services.calls.access import CallAccess, CallJoin
from procus.services.calls.attendance import WebhookOutcome
from procus.services.calls.core import CallDetails, CallVideo
from procus.services.calls.ending import CLOSE_ROOM_JOB, queue_room_closing
from procus.services.calls.no_shows import CallNoShows
from procus.services.calls.notes import MAX_NOTE_LENGTH, CallNotes

__all__ = [
    "CLOSE_ROOM_JOB",
    "MAX_NOTE_LENGTH",
    "CallDetails",
    "CallJoin",
    "CallService",
    "CallVideo",
    "WebhookOutcome",
    "queue_room_closing",
]


class CallService(CallAccess, CallNoShows, CallNotes):
    """Every call use case; each lives in the module named after it and shares ``CallCore``."""
