"""/v1/notifications: the inbox, read marks, and the live stream (Server-Sent Events).

The stream is authenticated by a single-use ticket from ``POST /v1/notifications/stream-ticket``
(``GET /v1/notifications/stream?ticket=...``), because an EventSource cannot send headers. Each event
is ``event: notification``, ``id: <seq>``, ``data: <NotificationOut JSON>``; idle streams get a
``: keep-alive`` comment. To resume, pass the last id seen as ``last_event_id`` (query) or the
``Last-Event-ID`` header with a fresh ticket. A page that has not had an event yet passes the
``last_seq`` of its notification list; without any id the stream starts after the newest notification
as of the ticket's issue (never as of the stream's opening, which would lose what commits in between).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from litestar import Controller, get, post
from litestar.params import Parameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from procus.domain.accounts import Principal
from procus.domain.errors import AuthenticationFailed, InvalidInput
from procus.domain.notifications import Notification
from procus.services.notices.notification_stream import NotificationStreamService, OpenedStream
from procus.services.notices.notifications import NotificationService

__all__ = ["NotificationOut", "NotificationsController"]

RECONNECT_MILLISECONDS = 3000


class NotificationOut(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    seq: int
    """Increases with every notification of this user: the stream's event id."""
    kind: str
    title: str
    body: str
    data: dict[str, Any]
    important: bool
    created_at: dt.datetime
    read_at: dt.datetime | None

    @classmethod
    def of(cls, notification: Notification) -> NotificationOut:
        return msgspec.convert(notification, cls, from_attributes=True)


class NotificationPageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[NotificationOut]
    next_cursor: str | None
    """Pass as ``cursor`` for the next page; null on the last page."""
    unread_count: int
    last_seq: int
    """The newest notification's ``seq`` when this page was read (0 if none). Open the stream with
    ``last_event_id`` set to it and it delivers everything committed since, so a page that shows this
    list never misses a notification while its stream is being set up."""


class ReadAllOut(msgspec.Struct, frozen=True, kw_only=True):
    marked_read: int


class StreamTicketOut(msgspec.Struct, frozen=True, kw_only=True):
    ticket: str
    expires_at: dt.datetime


class NotificationsController(Controller):
    path = "/v1/notifications"
    tags = ["notifications"]

    @get(operation_id="listNotifications")
    async def list_notifications(
        self,
        notifications: NotificationService,
        principal: Principal,
        cursor: Annotated[str | None, Parameter(max_length=64)] = None,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> NotificationPageOut:
        page = await notifications.inbox(principal, cursor=cursor, limit=limit)
        return NotificationPageOut(
            items=[NotificationOut.of(item) for item in page.items],
            next_cursor=page.next_cursor,
            unread_count=page.unread_count,
            last_seq=page.last_seq,
        )

    @post("/{notification_id:uuid}/read", operation_id="markNotificationRead", status_code=200)
    async def mark_read(
        self, notification_id: uuid.UUID, notifications: NotificationService, principal: Principal
    ) -> NotificationOut:
        return NotificationOut.of(await notifications.mark_read(principal, notification_id))

    @post("/read-all", operation_id="markAllNotificationsRead", status_code=200)
    async def mark_all_read(self, notifications: NotificationService, principal: Principal) -> ReadAllOut:
        return ReadAllOut(marked_read=await notifications.mark_all_read(principal))

    @post("/stream-ticket", operation_id="createNotificationStreamTicket", status_code=201)
    async def create_stream_ticket(
        self, notification_stream: NotificationStreamService, principal: Principal
    ) -> StreamTicketOut:
        ticket = await notification_stream.issue_ticket(principal)
        return StreamTicketOut(ticket=ticket.ticket, expires_at=ticket.expires_at)

    @get(
        "/stream",
        operation_id="streamNotifications",
        media_type="text/event-stream",
        response_description="Server-Sent Events: `notification` events (id = seq) and keep-alive comments",
    )
    async def stream(
        self,
        notification_stream: NotificationStreamService,
        ticket: Annotated[str | None, Parameter(max_length=200)] = None,
        resume_query: Annotated[str | None, Parameter(query="last_event_id", max_length=20)] = None,
        resume_header: Annotated[str | None, Parameter(header="last-event-id", max_length=20)] = None,
    ) -> ServerSentEvent:
        if not ticket:
            raise AuthenticationFailed("stream_ticket_required", "Open the stream with ?ticket= from stream-ticket")
        opened = await notification_stream.open(ticket, _event_id(resume_header or resume_query))
        return ServerSentEvent(_messages(notification_stream, opened))


def _event_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise InvalidInput("invalid_last_event_id", "Last-Event-ID must be a notification seq", field="last_event_id")
    return int(raw)


async def _messages(service: NotificationStreamService, opened: OpenedStream) -> AsyncIterator[ServerSentEventMessage]:
    yield ServerSentEventMessage(data=None, comment="connected", retry=RECONNECT_MILLISECONDS)
    async for item in service.events(opened):
        if item is None:
            yield ServerSentEventMessage(data=None, comment="keep-alive")
        else:
            data = msgspec.json.encode(NotificationOut.of(item)).decode()
            yield ServerSentEventMessage(data=data, event="notification", id=item.seq)
    yield ServerSentEventMessage(data=None, comment="closed")
