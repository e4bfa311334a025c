"""Join tokens for one participant in one room."""

from __future__ import annotations

from datetime import timedelta

from livekit.api import AccessToken, VideoGrants

__all__ = ["LiveKitTokens"]


class LiveKitTokens:
    def __init__(self, api_key: str, api_secret: str) -> None:
        self._api_key = api_key
        self._api_secret = api_secret

    def issue(self, room: str, identity: str, name: str, ttl: timedelta) -> str:
        """Sign a token for ``room`` alone: join, publish, subscribe and send data; no admin grants."""
        if not room or not identity:
            raise ValueError("a video token needs a room and an identity")
        if ttl <= timedelta(0):
            raise ValueError("a video token needs a positive ttl")
        grants = VideoGrants(room_join=True, room=room, can_publish=True, can_subscribe=True, can_publish_data=True)
        return (
            AccessToken(self._api_key, self._api_secret)
            .with_identity(identity)
            .with_name(name)
            .with_ttl(ttl)
            .with_grants(grants)
            .to_jwt()
        )
