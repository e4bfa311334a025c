"""What every call use case shares: collaborators, who the caller is to the call, and its attendance."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Principal, Role
from procus.domain.attendance import Attendance, attendance_of
from procus.domain.bookings import ActorRole, CallStatus
from procus.domain.calls import CallPolicy, CallRecord
from procus.domain.errors import NotFound, PermissionDenied
from procus.services.ports.clock import Clock
from procus.services.ports.escrow import Escrow
from procus.services.ports.video import VideoRooms, VideoTokens, VideoWebhookVerifier
from procus.store import attendance as attendance_store
from procus.store import calls as call_store
from procus.store.db import Connection, Database

__all__ = ["CallContext", "CallDetails", "CallVideo"]


class CallVideo(msgspec.Struct, frozen=True, kw_only=True):
    """The video system's parts and where browsers reach it."""

    rooms: VideoRooms
    tokens: VideoTokens
    webhooks: VideoWebhookVerifier
    url: str


class CallDetails(msgspec.Struct, frozen=True, kw_only=True):
    """A call as one of its participants (or an admin) sees it."""

    call: CallRecord
    viewer_role: ActorRole
    opens_at: dt.datetime
    closes_at: dt.datetime
    client_seconds: int
    expert_seconds: int


class CallContext:
    """What every call use case shares: its collaborators, who the caller is to the call, and its attendance.

    Each use case (access, attendance, ending, no-shows, notes) is its own class holding one of these.
    """

    def __init__(self, db: Database, clock: Clock, video: CallVideo, escrow: Escrow, policy: CallPolicy) -> None:
        self.db = db
        self.clock = clock
        self.video = video
        self.escrow = escrow
        self.policy = policy

    @staticmethod
    def viewer(principal: Principal, call: CallRecord) -> ActorRole:
        """The principal's part in the call; a stranger learns nothing, not even that it exists."""
        role = call.role_of(principal.user_id)
        if role is not None:
            return role
        if principal.role is Role.ADMIN:
            return ActorRole.ADMIN
        raise NotFound.no_such("booking")

    def participant(self, principal: Principal, call: CallRecord) -> ActorRole:
        role = self.viewer(principal, call)
        if role is ActorRole.ADMIN:
            raise PermissionDenied("call_participants_only", "Only the client and the expert take part in a call")
        return role

    async def refresh(self, tx: Connection, call: CallRecord, now: dt.datetime) -> Attendance:
        """Recompute the call's attendance from all its events and store when the parties first met.

        The call is in progress once both were in the room; a late event that shows they never
        overlapped after all puts it back to scheduled. A finished call keeps its status and
        never loses its start.
        """
        attendance = await self.attendance(tx, call, now)
        started_at, status = attendance.started_at, call.status
        if call.finished:
            started_at = started_at or call.actual_started_at
        elif status in (CallStatus.SCHEDULED, CallStatus.IN_PROGRESS):
            status = CallStatus.IN_PROGRESS if started_at is not None else CallStatus.SCHEDULED
        await call_store.set_attendance(tx, call.call_id, actual_started_at=started_at, status=status, now=now)
        return attendance

    @staticmethod
    async def attendance(conn: Connection, call: CallRecord, now: dt.datetime) -> Attendance:
        events = await attendance_store.list_events(conn, call.call_id)
        return attendance_of(
            events, client=str(call.client_id), expert=str(call.expert_id), now=now, ended_at=call.ended_at
        )

    def details(self, call: CallRecord, role: ActorRole, attendance: Attendance) -> CallDetails:
        return CallDetails(
            call=call,
            viewer_role=role,
            opens_at=call.opens_at(self.policy),
            closes_at=call.closes_at(self.policy),
            client_seconds=attendance.client_seconds,
            expert_seconds=attendance.expert_seconds,
        )

    async def details_of(self, booking_id: uuid.UUID, role: ActorRole) -> CallDetails:
        now = self.clock.now()
        async with self.db.connection() as conn:
            call = await call_store.get_call(conn, booking_id)
            attendance = await self.attendance(conn, call, now)
        return self.details(call, role, attendance)
