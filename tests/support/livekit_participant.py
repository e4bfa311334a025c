"""A scripted participant for tests: joins a LiveKit room with the Python realtime SDK, publishes a
synthetic camera and records what it receives. Every wait is bounded."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from livekit import rtc

__all__ = ["Participant", "loopback_room_options"]

WIDTH, HEIGHT, FPS = 64, 48, 15


def loopback_room_options(connect_timeout: float = 5.0) -> rtc.RoomOptions:
    """No ICE servers at all: on loopback, host candidates are enough and nothing leaves the machine."""
    return rtc.RoomOptions(
        auto_subscribe=True,
        rtc_config=rtc.RtcConfiguration(ice_servers=[]),
        connect_timeout=connect_timeout,
    )


class Participant:
    def __init__(self) -> None:
        self.room = rtc.Room()
        self.disconnected = asyncio.Event()
        self.disconnect_reason: Any = None
        self._subscribed: dict[str, asyncio.Future[rtc.Track]] = {}
        self._feeder: asyncio.Task[None] | None = None
        self._source: rtc.VideoSource | None = None
        self.room.on("track_subscribed", self._on_track_subscribed)
        self.room.on("disconnected", self._on_disconnected)

    @classmethod
    async def join(cls, url: str, token: str, *, timeout: float = 15.0) -> Participant:
        participant = cls()
        try:
            async with asyncio.timeout(timeout):
                await participant.room.connect(url, token, options=loopback_room_options())
        except BaseException:
            await participant.leave()
            raise
        return participant

    @property
    def identity(self) -> str:
        identity: str = self.room.local_participant.identity
        return identity

    async def publish_camera(self, timeout: float = 10.0) -> None:
        """Publish a video track fed with solid-colour RGBA frames until :meth:`leave`."""
        self._source = rtc.VideoSource(WIDTH, HEIGHT)
        track = rtc.LocalVideoTrack.create_video_track("camera", self._source)
        options = rtc.TrackPublishOptions(source=rtc.TrackSource.SOURCE_CAMERA)
        async with asyncio.timeout(timeout):
            await self.room.local_participant.publish_track(track, options)
        self._feeder = asyncio.create_task(self._feed(self._source))

    async def track_from(self, identity: str, timeout: float = 15.0) -> rtc.Track:
        """The track from ``identity`` once this participant has subscribed to it."""
        async with asyncio.timeout(timeout):
            return await self._subscription(identity)

    async def first_frame_from(self, identity: str, timeout: float = 15.0) -> rtc.VideoFrame:
        """Proof that media, not just signalling, flows: one decoded frame of ``identity``'s video."""
        track = await self.track_from(identity, timeout)
        stream = rtc.VideoStream(track)
        try:
            async with asyncio.timeout(timeout):
                event = await anext(aiter(stream))
        finally:
            await stream.aclose()
        frame: rtc.VideoFrame = event.frame
        return frame

    async def wait_disconnected(self, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            await self.disconnected.wait()

    async def leave(self) -> None:
        if self._feeder is not None:
            self._feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._feeder
            self._feeder = None
        with contextlib.suppress(Exception):
            async with asyncio.timeout(5):
                await self.room.disconnect()
        if self._source is not None:
            await self._source.aclose()
            self._source = None

    def _subscription(self, identity: str) -> asyncio.Future[rtc.Track]:
        if identity not in self._subscribed:
            self._subscribed[identity] = asyncio.get_running_loop().create_future()
        return self._subscribed[identity]

    def _on_track_subscribed(
        self, track: rtc.Track, publication: rtc.RemoteTrackPublication, participant: rtc.RemoteParticipant
    ) -> None:
        future = self._subscription(participant.identity)
        if track.kind == rtc.TrackKind.KIND_VIDEO and not future.done():
            future.set_result(track)

    def _on_disconnected(self, reason: Any) -> None:
        self.disconnect_reason = reason
        self.disconnected.set()

    @staticmethod
    async def _feed(source: rtc.VideoSource) -> None:
        shade = 0
        while True:
            shade = (shade + 8) % 256
            pixels = bytes([shade, 128, 255 - shade, 255]) * (WIDTH * HEIGHT)
            source.capture_frame(rtc.VideoFrame(WIDTH, HEIGHT, rtc.VideoBufferType.RGBA, pixels))
            await asyncio.sleep(1 / FPS)
