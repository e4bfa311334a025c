"""Room administration over LiveKit's RoomService (Twirp over HTTP)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import aiohttp
from google.protobuf.message import DecodeError
from livekit.api import LiveKitAPI, ServerError, ServerErrorCode
from livekit.protocol.models import ParticipantInfo as LiveKitParticipant
from livekit.protocol.room import (
    CreateRoomRequest,
    DeleteRoomRequest,
    DeleteRoomResponse,
    ListParticipantsRequest,
    ListParticipantsResponse,
)

from procus.domain.errors import ServiceUnavailable
from procus.domain.video import ParticipantInfo

__all__ = ["LiveKitRooms"]

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_UNAVAILABLE = "video_unavailable"


class LiveKitRooms:
    """One HTTP session for the life of the process: create it lazily (inside the event loop) and
    release it with :meth:`aclose` at shutdown.

    Every failure talking to LiveKit (refused connection, timeout, 5xx, and also 4xx answers that
    mean we are misconfigured, such as rejected credentials) becomes
    ``ServiceUnavailable("video_unavailable")``; no LiveKit or aiohttp exception escapes.
    Each call is bounded by ``timeout_s`` here, because livekit-api passes ``timeout=None`` to
    aiohttp on every request, which disables the session's own timeout.
    """

    def __init__(self, api_url: str, api_key: str, api_secret: str, *, timeout_s: float = 5.0) -> None:
        if not (api_url and api_key and api_secret):
            raise ValueError("LiveKit needs an API URL, key and secret")
        self._api_url = api_url
        self._api_key = api_key
        self._api_secret = api_secret
        self._timeout_s = timeout_s
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, connect=min(timeout_s, 2.0))
        self._api: LiveKitAPI | None = None

    async def ensure_room(self, name: str, max_participants: int, empty_timeout_s: int) -> None:
        request = CreateRoomRequest(name=name, max_participants=max_participants, empty_timeout=empty_timeout_s)
        await self._call("create_room", lambda api: api.room.create_room(request))

    async def delete_room(self, name: str) -> None:
        request = DeleteRoomRequest(room=name)
        await self._call("delete_room", lambda api: api.room.delete_room(request), if_missing=DeleteRoomResponse())

    async def list_participants(self, room: str) -> list[ParticipantInfo]:
        request = ListParticipantsRequest(room=room)
        response = await self._call(
            "list_participants", lambda api: api.room.list_participants(request), if_missing=ListParticipantsResponse()
        )
        return [_participant(p) for p in response.participants]

    async def aclose(self) -> None:
        if self._api is not None:
            api, self._api = self._api, None
            await api.aclose()

    def _client(self) -> LiveKitAPI:
        if self._api is None:
            self._api = LiveKitAPI(
                self._api_url, self._api_key, self._api_secret, timeout=self._timeout, failover=False
            )
        return self._api

    async def _call(
        self, action: str, call: Callable[[LiveKitAPI], Awaitable[_T]], *, if_missing: _T | None = None
    ) -> _T:
        """Run one RoomService call; a missing room answers ``if_missing`` when given."""
        try:
            async with asyncio.timeout(self._timeout_s):
                return await call(self._client())
        except ServerError as exc:
            if exc.code == ServerErrorCode.NOT_FOUND and if_missing is not None:
                return if_missing
            log.warning("livekit %s failed: %s", action, exc)
            raise ServiceUnavailable(_UNAVAILABLE, f"The video service refused {action}") from exc
        except (TimeoutError, aiohttp.ClientError, OSError, DecodeError) as exc:
            log.warning("livekit %s failed: %r", action, exc)
            raise ServiceUnavailable(_UNAVAILABLE, f"The video service did not answer {action}") from exc


def _participant(p: LiveKitParticipant) -> ParticipantInfo:
    joined_at = p.joined_at_ms / 1000 if p.joined_at_ms else float(p.joined_at)
    return ParticipantInfo(
        identity=p.identity, name=p.name, joined_at=datetime.fromtimestamp(joined_at, UTC), sid=p.sid
    )
