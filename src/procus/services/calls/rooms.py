"""Closing a call's video room: right away when a call ends, and by a job if the video server could not be reached."""

from __future__ import annotations

import msgspec

from procus.store.db import Connection
from procus.store.jobs import JobKind

__all__ = ["CLOSE_ROOM", "CloseRoomJob", "queue_room_closing"]


class CloseRoomJob(msgspec.Struct, frozen=True):
    room: str


CLOSE_ROOM = JobKind("calls.close_room", CloseRoomJob)


async def queue_room_closing(tx: Connection, room: str) -> None:
    """Queue ``calls.close_room`` for ``room`` in the caller's transaction (once while one is pending)."""
    await CLOSE_ROOM.enqueue(tx, CloseRoomJob(room), dedupe_key=f"{CLOSE_ROOM.name}:{room}")
