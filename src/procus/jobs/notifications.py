"""Notification sweeps: the unread-important email fallback, and expired stream tickets and leases."""

from __future__ import annotations

from procus.jobs.registry import Schedule
from procus.services.notices.notification_stream import NotificationStreamService
from procus.services.notices.notifications import NotificationService

__all__ = ["SCHEDULES", "email_unread_important", "purge_stream_tickets"]


async def email_unread_important(notifications: NotificationService) -> None:
    await notifications.email_unread_important()


async def purge_stream_tickets(streams: NotificationStreamService) -> None:
    await streams.purge_expired()


SCHEDULES = [
    Schedule(
        name="notifications.email_unread_important",
        cron="* * * * *",
        service=NotificationService,
        run=email_unread_important,
    ),
    Schedule(
        name="notifications.purge_stream_tickets",
        cron="17 * * * *",
        service=NotificationStreamService,
        run=purge_stream_tickets,
    ),
]
