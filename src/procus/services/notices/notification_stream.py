"""Live notifications over Server-Sent Events, on any number of API processes.

Authentication: the SPA's ``EventSource`` cannot send an Authorization header, and an access token
in a URL ends up in logs; so the signed-in SPA first gets a stream *ticket* (POST, bearer auth): 256
random bits, stored hashed, valid for ``STREAM_TICKET_TTL_SECONDS`` (60) and usable once. The
ticket goes in the stream URL. An EventSource retries a dropped connection with the same URL, which
then fails (the ticket is used); the SPA reacts to ``error`` by fetching a new ticket and opening a
new EventSource with ``last_event_id`` set to the last id it saw. Before its first event a page
passes the ``last_seq`` of the notification list it loaded, so nothing committed while the page was
loading (before the ticket existed) is skipped; a client that passes no id starts after the newest
notification as of the ticket's issue.

Delivery: each process has one LISTEN connection (:class:`NotificationHub`) that wakes the streams of
the user named in each NOTIFY. A woken stream reads ``seq > last sent`` from the table, so the table
is the only source of events: subscribing before the first read, and reading by ``seq`` (which the
store hands out in commit order per user), give resumption without gaps or duplicates. Every
heartbeat also re-reads, so even a NOTIFY lost to a reconnect only delays an event.

A stream outlives the ticket that opened it, so it re-checks the account and the session that
issued the ticket on every wake-up and heartbeat, and ends once the user is suspended or that
session signed out; both wake the user's streams at once.

One user holds at most ``max_per_user`` streams (a page per tab, not an unbounded number) across
every API process: each open stream holds a lease row (:mod:`procus.store.notification_streams`),
claimed when the stream opens, renewed on its heartbeats and deleted when it ends. The leases of a
process that died stop counting ``LEASE_HEARTBEATS`` heartbeats later, without anyone cleaning up.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import uuid
from collections.abc import AsyncIterator

import anyio
import msgspec

from procus.domain.accounts import Principal
from procus.domain.errors import AuthenticationFailed, RateLimited
from procus.domain.notifications import Notification
from procus.services.auth.tokens import hash_token, new_opaque_token
from procus.services.ports.clock import Clock
from procus.store import auth_sessions, notification_streams, notifications, stream_tickets
from procus.store.db import Database
from procus.store.notification_channel import ChannelListener, parse_payload

__all__ = [
    "LEASE_HEARTBEATS",
    "NotificationHub",
    "NotificationStreamService",
    "OpenedStream",
    "StreamTicket",
    "Subscriber",
]

LEASE_HEARTBEATS = 3
"""A stream's lease lasts this many heartbeats; it is renewed every heartbeat."""
RELEASE_WITHIN_SECONDS = 5.0
log = logging.getLogger(__name__)


class StreamTicket(msgspec.Struct, frozen=True, kw_only=True):
    ticket: str
    expires_at: dt.datetime


class OpenedStream(msgspec.Struct, frozen=True, kw_only=True):
    user_id: uuid.UUID
    session_id: uuid.UUID
    lease_id: uuid.UUID
    """The stream's place among the user's ``max_per_user``."""
    after: int
    """The stream sends notifications with ``seq`` greater than this."""


class Subscriber:
    """One open stream's wake-up flag."""

    def __init__(self, user_id: uuid.UUID) -> None:
        self.user_id = user_id
        self._woken = asyncio.Event()

    def wake(self) -> None:
        self._woken.set()

    def clear(self) -> None:
        self._woken.clear()

    async def wait(self, timeout: float) -> bool:
        """True when woken, False after ``timeout`` seconds of quiet."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._woken.wait(), timeout)
            return True
        return False


class NotificationHub:
    """This process's fan-out: one LISTEN connection (started on first use), many subscribers."""

    def __init__(self, dsn: str, *, check_every: float = 10.0) -> None:
        """``check_every``: seconds between liveness checks of the LISTEN connection."""
        self._subscribers: dict[uuid.UUID, set[Subscriber]] = {}
        self._draining = False
        self._listener = ChannelListener(dsn, self._dispatch, self._wake_everyone, check_every=check_every)

    async def start(self) -> None:
        await self._listener.start()

    def subscribe(self, user_id: uuid.UUID) -> Subscriber:
        subscriber = Subscriber(user_id)
        self._subscribers.setdefault(user_id, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        group = self._subscribers.get(subscriber.user_id)
        if group is not None:
            group.discard(subscriber)
            if not group:
                del self._subscribers[subscriber.user_id]

    @property
    def subscriber_count(self) -> int:
        return sum(len(group) for group in self._subscribers.values())

    @property
    def draining(self) -> bool:
        return self._draining

    def drain(self) -> None:
        """The process is stopping: every stream, open or opening, ends at its next wake-up (now)."""
        self._draining = True
        self._wake_everyone()

    async def close(self) -> None:
        await self._listener.close()

    def _dispatch(self, payload: str) -> None:
        user_id = parse_payload(payload)
        for subscriber in self._subscribers.get(user_id, ()) if user_id else ():
            subscriber.wake()

    def _wake_everyone(self) -> None:
        for group in self._subscribers.values():
            for subscriber in group:
                subscriber.wake()


class NotificationStreamService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        hub: NotificationHub,
        *,
        ticket_ttl: dt.timedelta,
        heartbeat_seconds: float,
        max_per_user: int = 10,
        batch: int = 100,
    ) -> None:
        self._db = db
        self._clock = clock
        self._hub = hub
        self._ticket_ttl = ticket_ttl
        self._heartbeat_seconds = heartbeat_seconds
        self._batch = batch
        self._max_per_user = max_per_user
        self._renew_every = dt.timedelta(seconds=heartbeat_seconds)
        self._lease = self._renew_every * LEASE_HEARTBEATS

    async def issue_ticket(self, principal: Principal) -> StreamTicket:
        ticket = new_opaque_token()
        now = self._clock.now()
        expires_at = now + self._ticket_ttl
        async with self._db.transaction() as tx:
            latest = await notifications.last_seq(tx, principal.user_id)
            await stream_tickets.insert_ticket(
                tx, hash_token(ticket), principal.user_id, principal.session_id, now, expires_at, latest
            )
        return StreamTicket(ticket=ticket, expires_at=expires_at)

    async def open(self, ticket: str, last_event_id: int | None = None) -> OpenedStream:
        """Spend the ticket and fix where the stream starts: after ``last_event_id`` (the newest
        notification the page has seen), else after the newest one when the ticket was issued.

        Never "after the newest one now": whatever commits between the page minting its ticket and
        opening the stream would be skipped for good (the page's one-in-three missing toast).
        """
        await self._hub.start()
        lease_id = uuid.uuid4()
        now = self._clock.now()
        async with self._db.transaction() as tx:
            spent = await stream_tickets.consume_ticket(tx, hash_token(ticket), now)
            if spent is None:
                raise AuthenticationFailed("stream_ticket_invalid", "The stream ticket is invalid, expired or used")
            user_id, session_id, issued_after = spent
            if not await notification_streams.claim_lease(
                tx, lease_id, user_id, now, now + self._lease, self._max_per_user
            ):
                raise RateLimited(
                    "too_many_streams",
                    f"At most {self._max_per_user} notification streams at once; close one first",
                    retry_after=math.ceil(self._heartbeat_seconds),
                )
            latest = await notifications.last_seq(tx, user_id)
        known = issued_after if last_event_id is None else last_event_id
        after = latest if known is None else min(max(known, 0), latest)
        return OpenedStream(user_id=user_id, session_id=session_id, lease_id=lease_id, after=after)

    async def events(self, stream: OpenedStream) -> AsyncIterator[Notification | None]:
        """Notifications in ``seq`` order as they commit, and None whenever a heartbeat is due; ends
        when the user is suspended, the stream's session signed out, or the process is stopping."""
        subscriber = self._hub.subscribe(stream.user_id)
        after = stream.after
        renew_at = self._clock.now() + self._renew_every
        try:
            while not self._hub.draining:
                subscriber.clear()
                async with self._db.connection() as conn:
                    owner = await auth_sessions.get_principal(conn, stream.session_id, stream.user_id)
                    if owner is None or not owner.is_active or owner.session_revoked:
                        return
                    now = self._clock.now()
                    if now >= renew_at:
                        await notification_streams.renew_lease(
                            conn, stream.lease_id, stream.user_id, now, now + self._lease
                        )
                        renew_at = now + self._renew_every
                    batch = await notifications.list_after(conn, stream.user_id, after, self._batch)
                for notification in batch:
                    yield notification
                    after = notification.seq
                if len(batch) == self._batch:
                    continue
                if not await subscriber.wait(self._heartbeat_seconds):
                    yield None
        finally:
            try:
                await self._release(stream.lease_id)
            finally:
                self._hub.unsubscribe(subscriber)

    async def _release(self, lease_id: uuid.UUID) -> None:
        """Give the stream's place back, even while the stream is being cancelled (a client that went
        away); if the database cannot be reached, the lease runs out by itself."""
        with anyio.move_on_after(RELEASE_WITHIN_SECONDS, shield=True):
            try:
                async with self._db.connection() as conn:
                    await notification_streams.release_lease(conn, lease_id)
            except Exception as exc:
                log.warning("stream lease not released; it expires by itself", extra={"error": repr(exc)})

    @property
    def open_streams(self) -> int:
        """Streams open in this process right now."""
        return self._hub.subscriber_count

    def end_all(self) -> None:
        """End every stream of this process so a graceful shutdown is not held up by them (clients
        reconnect, to another process or to this one restarted, and resume by ``Last-Event-ID``)."""
        self._hub.drain()

    async def purge_expired(self) -> int:
        """Delete expired stream tickets and the expired leases of streams whose process died."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            return await stream_tickets.purge_tickets(tx, now) + await notification_streams.purge_leases(tx, now)

    async def close(self) -> None:
        await self._hub.close()
