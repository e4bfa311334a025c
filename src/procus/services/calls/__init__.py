"""Video calls: join tokens, attendance, ending, no-shows and the expert's notes.

Each use case is a small class in the module named after it; :class:`CallService` composes them
over one :class:`~procus.services.calls.core.CallContext`.
"""

from __future__ import annotations

from procus.domain.calls import CallPolicy
from procus.services.calls.access import CallAccess, CallJoin
from procus.services.calls.attendance import CallAttendance, WebhookOutcome
from procus.services.calls.core import CallContext, CallDetails, CallVideo
from procus.services.calls.ending import CallEnding
from procus.services.calls.no_shows import CallNoShows
from procus.services.calls.notes import CallNotes
from procus.services.calls.rooms import CLOSE_ROOM, CloseRoomJob, queue_room_closing
from procus.services.ports.clock import Clock
from procus.services.ports.escrow import Escrow
from procus.store.db import Database

__all__ = [
    "CLOSE_ROOM",
    "CallAccess",
    "CallAttendance",
    "CallDetails",
    "CallEnding",
    "CallJoin",
    "CallNoShows",
    "CallNotes",
    "CallService",
    "CallVideo",
    "CloseRoomJob",
    "WebhookOutcome",
    "queue_room_closing",
]


class CallService:
    """Every call use case, each an attribute named after its business word."""

    def __init__(self, db: Database, clock: Clock, video: CallVideo, escrow: Escrow, policy: CallPolicy) -> None:
        context = CallContext(db, clock, video, escrow, policy)
        self.policy = policy
        self.access = CallAccess(context)
        self.attendance = CallAttendance(context)
        self.ending = CallEnding(context)
        self.no_shows = CallNoShows(context, self.ending, self.attendance)
        self.notes = CallNotes(context)
