"""Factories and readers for notification tests: users straight in the store, notify in a transaction,
and a small Server-Sent Events reader over httpx with timeouts."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import msgspec

from procus.domain.accounts import Role, User
from procus.domain.notifications import Notification
from procus.services.notices.notifications import EmailSpec, notify
from procus.store import users
from procus.store.db import Database
from tests.support.accounts import unique_email

__all__ = ["SseEvent", "SseReader", "make_user", "open_stream", "send_notification", "stream_status"]

STREAM_PATH = "/v1/notifications/stream"


async def make_user(
    db: Database, *, full_name: str = "Ada Lovelace", role: Role = Role.CLIENT, time_zone: str = "UTC"
) -> User:
    async with db.transaction() as tx:
        return await users.insert_user(
            tx, email=unique_email(role.value), password_hash=None, full_name=full_name, role=role, time_zone=time_zone
        )


async def send_notification(
    db: Database,
    user_id: uuid.UUID,
    now: dt.datetime,
    *,
    title: str = "Something happened",
    kind: str = "booking.requested",
    important: bool = False,
    email: EmailSpec | None = None,
    dedupe_key: str | None = None,
    data: dict[str, Any] | None = None,
) -> Notification | None:
    async with db.transaction() as tx:
        return await notify(
            tx,
            user_id=user_id,
            kind=kind,
            title=title,
            body=f"Details of {title.lower()}.",
            now=now,
            data=data,
            important=important,
            email=email,
            dedupe_key=dedupe_key,
        )


class SseEvent(msgspec.Struct, frozen=True, kw_only=True):
    event: str | None = None
    id: str | None = None
    data: str | None = None
    comments: list[str] = msgspec.field(default_factory=list)

    def json(self) -> Any:
        assert self.data is not None
        return msgspec.json.decode(self.data)


class SseReader:
    """Parses a text/event-stream response into events (comment-only blocks included)."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines: AsyncIterator[str] = response.aiter_lines()

    async def next(self, timeout: float = 5.0) -> SseEvent:
        return await asyncio.wait_for(self._block(), timeout)

    async def next_notification(self, timeout: float = 5.0) -> SseEvent:
        """The next ``notification`` event, skipping keep-alives."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            event = await self.next(max(0.01, deadline - asyncio.get_running_loop().time()))
            if event.event == "notification":
                return event

    async def _block(self) -> SseEvent:
        fields: dict[str, str] = {}
        data: list[str] = []
        comments: list[str] = []
        async for line in self._lines:
            if line == "":
                if fields or data or comments:
                    return SseEvent(
                        event=fields.get("event"),
                        id=fields.get("id"),
                        data="\n".join(data) if data else None,
                        comments=comments,
                    )
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "":
                comments.append(value)
            elif name == "data":
                data.append(value)
            else:
                fields[name] = value
        raise EOFError("the stream ended")


@asynccontextmanager
async def open_stream(base_url: str, ticket: str, *, last_event_id: int | None = None) -> AsyncIterator[SseReader]:
    """``GET /v1/notifications/stream`` on the server at ``base_url``, past its ``connected`` comment."""
    headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(10.0)) as http,
        http.stream("GET", STREAM_PATH, params={"ticket": ticket}, headers=headers) as response,
    ):
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        reader = SseReader(response)
        assert "connected" in (await reader.next()).comments
        yield reader


async def stream_status(base_url: str, params: dict[str, str]) -> tuple[int, str]:
    """The answer's status and problem code; a stream that opened (200) is closed at once."""
    async with (
        httpx.AsyncClient(base_url=base_url, timeout=10.0) as http,
        http.stream("GET", STREAM_PATH, params=params) as response,
    ):
        if response.status_code == 200:
            return 200, ""
        await response.aread()
        return response.status_code, response.json().get("code", "")
