"""Who may enter a call's room, and when: join tokens, and reading the call."""

from __future__ import annotations

import contextlib
import datetime as dt
import uuid

import msgspec

from procus.domain.accounts import Principal
from procus.domain.bookings import ActorRole
from procus.domain.calls import CallRecord, check_joinable, join_token_ttl
from procus.domain.errors import Conflict, ServiceUnavailable
from procus.services.calls.core import CallContext, CallDetails
from procus.services.ports.escrow import require_paid
from procus.store import bookings as booking_store
from procus.store import calls as call_store

__all__ = ["CallAccess", "CallJoin"]


class CallJoin(msgspec.Struct, frozen=True, kw_only=True):
    """What a browser needs to connect: the video server, a token for this room only, and the room."""

    url: str
    token: str
    room: str
    identity: str
    expires_at: dt.datetime
    """The token can start a connection until then; a connected participant stays connected."""


class CallAccess:
    def __init__(self, context: CallContext) -> None:
        self._ctx = context

    async def join(self, principal: Principal, booking_id: uuid.UUID) -> CallJoin:
        """A token for the booking's client or expert, for a confirmed and paid booking, inside the join window.

        The room is created on the way (two participants at most); if the video server cannot be
        reached this is ``ServiceUnavailable("video_unavailable")`` and nothing has changed.
        """
        now = self._ctx.clock.now()
        async with self._ctx.db.connection() as conn:
            call = await call_store.get_call(conn, booking_id)
            role = self._ctx.participant(principal, call)
            check_joinable(call, now, self._ctx.policy)
            await require_paid(self._ctx.escrow, conn, call.booking_id)
            view = await booking_store.get_view(conn, booking_id)
        ttl = join_token_ttl(call, now, self._ctx.policy)
        empty_timeout = int(self._ctx.policy.room_empty_timeout.total_seconds())
        await self._ctx.video.rooms.ensure_room(call.room, self._ctx.policy.max_participants, empty_timeout)
        await self._require_not_ended_meanwhile(call)
        name = view.client.full_name if role is ActorRole.CLIENT else view.expert.full_name
        identity = str(principal.user_id)
        token = self._ctx.video.tokens.issue(call.room, identity, name, ttl)
        return CallJoin(url=self._ctx.video.url, token=token, room=call.room, identity=identity, expires_at=now + ttl)

    async def get(self, principal: Principal, booking_id: uuid.UUID) -> CallDetails:
        async with self._ctx.db.connection() as conn:
            role = self._ctx.viewer(principal, await call_store.get_call(conn, booking_id))
        return await self._ctx.details_of(booking_id, role)

    async def _require_not_ended_meanwhile(self, call: CallRecord) -> None:
        """A call ended while its room was being created must not be reopened by that room."""
        async with self._ctx.db.connection() as conn:
            current = await call_store.get_call(conn, call.booking_id)
        if current.finished:
            with contextlib.suppress(ServiceUnavailable):
                await self._ctx.video.rooms.delete_room(call.room)
            raise Conflict("call_ended", "This call has ended", current_status=current.booking_status.value)
