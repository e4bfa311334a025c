"""In-app notifications: the one call other services make, and the inbox behind /v1/notifications.

For other services (bookings, payments, calls, payouts), inside their own transaction::

    from procus.services.notices.notifications import EmailSpec, notify

    async with self._db.transaction() as tx:
        ...  # the business change
        await notify(
            tx,
            user_id=booking.expert_id,
            kind="booking.requested",               # dotted lower case
            title="New booking request",            # 1..200 chars
            body="Ada asked for 30 minutes on Tuesday 4 March.",  # up to 2000 chars
            data={"booking_id": str(booking.id), "url": f"/bookings/{booking.id}"},
            now=now,
            important=True,                         # email it if still unread after N minutes
            email=EmailSpec(template="booking_requested", context={...}),  # or None
            dedupe_key=f"booking-requested:{booking.id}",  # optional: once per user and key
        )

What happens, all in ``tx`` (nothing if it rolls back):

- the notification row is inserted with the user's next ``seq``. Taking the number locks the user's
  counter row until ``tx`` ends, so keep notify near the end of the transaction, and when one
  transaction notifies several users in a place where another might notify the same users, notify
  them in a consistent order (e.g. by user id) to avoid lock-order deadlocks;
- ``pg_notify`` wakes the user's open streams on every API process when ``tx`` commits;
- with ``email``, a ``send_email`` job is queued to the user's address. ``recipient_name`` and ``tz``
  are filled in from the user's account unless given; the other context keys are listed per template
  in ``procus.services.notices.mail_templates.EMAIL_TEMPLATES`` (datetimes aware, money as ``Money``).
  Attach a calendar invite with
  ``ics_attachment(build_invite(booking_id=..., method="REQUEST", sequence=..., ...), "REQUEST")``
  (``procus.domain.mail`` / ``procus.services.notices.calendar_invite``); a cancellation uses method
  ``"CANCEL"`` and the next sequence;
- ``important`` notifications sent *without* an email are emailed once (template
  ``unread_notification``) if still unread after ``IMPORTANT_UNREAD_EMAIL_AFTER_SECONDS``.

``dedupe_key`` makes notify idempotent for jobs that may run twice: a second call with the same
user and key does nothing and returns None.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from procus.domain.accounts import Principal
from procus.domain.mail import Attachment
from procus.domain.notifications import InboxCursor, Notification, NotificationPage, validate_notification
from procus.services.notices.emails import queue_email
from procus.services.ports.clock import Clock
from procus.store import notification_channel, users
from procus.store import notifications as store
from procus.store.db import Connection, Database

__all__ = ["UNREAD_EMAIL_TEMPLATE", "EmailSpec", "NotificationService", "notify"]

UNREAD_EMAIL_TEMPLATE = "unread_notification"


class EmailSpec(msgspec.Struct, frozen=True, kw_only=True):
    """An email that goes with a notification, to the notified user."""

    template: str
    context: dict[str, Any] = msgspec.field(default_factory=dict)
    attachments: list[Attachment] = msgspec.field(default_factory=list)


async def notify(
    tx: Connection,
    *,
    user_id: uuid.UUID,
    kind: str,
    title: str,
    body: str = "",
    now: dt.datetime,
    data: dict[str, Any] | None = None,
    important: bool = False,
    email: EmailSpec | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Tell ``user_id`` something, inside the caller's transaction (see the module docstring).

    Returns the notification, or None when ``dedupe_key`` was already used for this user.
    """
    data = data or {}
    validate_notification(kind, title, body, data)
    if dedupe_key is not None and await store.dedupe_key_taken(tx, user_id, dedupe_key):
        return None
    seq = await store.next_seq(tx, user_id)
    notification = await store.insert_notification(
        tx,
        user_id=user_id,
        seq=seq,
        kind=kind,
        title=title,
        body=body,
        data=data,
        important=important,
        dedupe_key=dedupe_key,
        created_at=now,
        emailed_at=now if email is not None else None,
    )
    if notification is None:
        return None
    await notification_channel.publish(tx, user_id, seq)
    if email is not None:
        user = await users.get_user(tx, user_id)
        context = {"recipient_name": user.full_name, "tz": user.time_zone, **email.context}
        await queue_email(
            tx,
            email.template,
            user.email,
            context,
            attachments=email.attachments,
            dedupe_key=f"notification:{notification.id}",
        )
    return notification


class NotificationService:
    def __init__(self, db: Database, clock: Clock, *, public_url: str, unread_email_after: dt.timedelta) -> None:
        self._db = db
        self._clock = clock
        self._public_url = public_url.rstrip("/")
        self._unread_email_after = unread_email_after

    async def inbox(self, principal: Principal, *, cursor: str | None = None, limit: int = 20) -> NotificationPage:
        """Unread first, newest first; ``cursor`` is the ``next_cursor`` of the previous page."""
        position = InboxCursor.decode(cursor) if cursor else None
        async with self._db.transaction("repeatable_read") as tx:  # one snapshot: the page, its count, its last_seq
            rows = await store.list_inbox(tx, principal.user_id, position, limit + 1)
            unread = await store.count_unread(tx, principal.user_id)
            last_seq = await store.last_seq(tx, principal.user_id)
        items = rows[:limit]
        more = len(rows) > limit
        next_cursor = InboxCursor(unread=items[-1].unread, seq=items[-1].seq).encode() if more else None
        return NotificationPage(items=items, next_cursor=next_cursor, unread_count=unread, last_seq=last_seq)

    async def mark_read(self, principal: Principal, notification_id: uuid.UUID) -> Notification:
        """Someone else's notification is NotFound, exactly like one that does not exist."""
        async with self._db.transaction() as tx:
            return await store.mark_read(tx, principal.user_id, notification_id, self._clock.now())

    async def mark_all_read(self, principal: Principal) -> int:
        async with self._db.transaction() as tx:
            return await store.mark_all_read(tx, principal.user_id, self._clock.now())

    async def email_unread_important(self, *, batch: int = 200) -> int:
        """Email each important notification left unread for the configured time, exactly once.

        Claiming (setting ``emailed_at``) and queueing the email commit together, and the email's
        dedupe key is the notification's, so neither a re-run nor a concurrent sweep doubles it.
        """
        now = self._clock.now()
        async with self._db.transaction() as tx:
            claimed = await store.claim_unread_important(tx, now - self._unread_email_after, now, batch)
            for notification in claimed:
                user = await users.get_user(tx, notification.user_id)
                if not user.is_active:
                    continue
                await queue_email(
                    tx,
                    UNREAD_EMAIL_TEMPLATE,
                    user.email,
                    {
                        "recipient_name": user.full_name,
                        "tz": user.time_zone,
                        "title": notification.title,
                        "body": notification.body,
                        "action_url": self._action_url(notification),
                        "created_at": notification.created_at,
                        "notifications_url": f"{self._public_url}/notifications",
                    },
                    dedupe_key=f"notification-unread:{notification.id}",
                )
        return len(claimed)

    def _action_url(self, notification: Notification) -> str | None:
        path = notification.data.get("url")
        if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
            return None
        return f"{self._public_url}{path}"
