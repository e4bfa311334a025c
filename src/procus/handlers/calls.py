"""/v1/calls/{booking_id}: join a booking's video call, read it, end it, and the expert's notes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import msgspec
from litestar import Controller, get, post, put

from procus.domain.accounts import Principal
from procus.domain.bookings import ActorRole, BookingStatus, CallStatus
from procus.domain.calls import CallNote
from procus.domain.limits import MAX_CALL_NOTE_LENGTH
from procus.services.calls import CallDetails, CallJoin, CallService

__all__ = ["CallsController"]


class CallTokenOut(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    """The video server's WebSocket URL."""
    token: str
    room: str
    identity: str
    expires_at: dt.datetime
    """Connect before then; a connected participant is not cut off when it passes."""

    @classmethod
    def of(cls, join: CallJoin) -> CallTokenOut:
        return cls(url=join.url, token=join.token, room=join.room, identity=join.identity, expires_at=join.expires_at)


class CallOut(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: uuid.UUID
    room: str
    status: CallStatus
    booking_status: BookingStatus
    viewer_role: ActorRole
    starts_at: dt.datetime
    ends_at: dt.datetime
    opens_at: dt.datetime
    """The earliest a participant may join."""
    closes_at: dt.datetime
    """The end of the grace period: the platform ends the call then."""
    actual_started_at: dt.datetime | None
    """When both participants were first in the room together."""
    ended_at: dt.datetime | None
    client_seconds: int
    """Time the client spent in the room."""
    expert_seconds: int

    @classmethod
    def of(cls, details: CallDetails) -> CallOut:
        call = details.call
        return cls(
            booking_id=call.booking_id,
            room=call.room,
            status=call.status,
            booking_status=call.booking_status,
            viewer_role=details.viewer_role,
            starts_at=call.starts_at,
            ends_at=call.ends_at,
            opens_at=details.opens_at,
            closes_at=details.closes_at,
            actual_started_at=call.actual_started_at,
            ended_at=call.ended_at,
            client_seconds=details.client_seconds,
            expert_seconds=details.expert_seconds,
        )


class CallNotesUpdate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    body: Annotated[str, msgspec.Meta(max_length=MAX_CALL_NOTE_LENGTH)]
    base_version: (
        Annotated[
            int,
            msgspec.Meta(
                ge=0,
                description="The version this edit started from (0: no notes yet). If the notes have changed "
                "since, the save is refused with 409 notes_changed, whose `current` member holds the notes now. "
                "Omit only to overwrite whatever is there.",
            ),
        ]
        | None
    ) = None


class CallNotesOut(msgspec.Struct, frozen=True, kw_only=True):
    body: str
    updated_at: dt.datetime | None
    version: Annotated[int, msgspec.Meta(description="Bumped by every save; 0 until the first")]

    @classmethod
    def of(cls, note: CallNote) -> CallNotesOut:
        return cls(body=note.body, updated_at=note.updated_at, version=note.version)


class CallsController(Controller):
    path = "/v1/calls"
    tags = ["calls"]

    @get("/{booking_id:uuid}", operation_id="getCall")
    async def get_call(self, booking_id: uuid.UUID, calls: CallService, principal: Principal) -> CallOut:
        return CallOut.of(await calls.access.get(principal, booking_id))

    @post("/{booking_id:uuid}/token", operation_id="createCallToken", status_code=200)
    async def create_token(self, booking_id: uuid.UUID, calls: CallService, principal: Principal) -> CallTokenOut:
        """A join token for the booking's room. 409 ``call_not_open_yet`` / ``call_window_closed`` /
        ``booking_not_confirmed`` / ``payment_pending`` / ``call_ended``; 503 ``video_unavailable``."""
        return CallTokenOut.of(await calls.access.join(principal, booking_id))

    @post("/{booking_id:uuid}/end", operation_id="endCall", status_code=200)
    async def end_call(self, booking_id: uuid.UUID, calls: CallService, principal: Principal) -> CallOut:
        """Either participant ends a call both have joined: the booking completes and the expert is paid."""
        return CallOut.of(await calls.ending.end(principal, booking_id))

    @get("/{booking_id:uuid}/notes", operation_id="getCallNotes")
    async def get_notes(self, booking_id: uuid.UUID, calls: CallService, principal: Principal) -> CallNotesOut:
        return CallNotesOut.of(await calls.notes.get(principal, booking_id))

    @put("/{booking_id:uuid}/notes", operation_id="putCallNotes")
    async def put_notes(
        self, booking_id: uuid.UUID, data: CallNotesUpdate, calls: CallService, principal: Principal
    ) -> CallNotesOut:
        """Save the notes; send ``base_version`` so a save from a stale tab gets 409 ``notes_changed``."""
        return CallNotesOut.of(await calls.notes.put(principal, booking_id, data.body, data.base_version))
