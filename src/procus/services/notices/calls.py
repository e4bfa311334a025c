"""Telling both participants how the platform decided a call neither of them ended."""

from __future__ import annotations

import datetime as dt

from procus.domain.calls import CallOutcome, CallRecord
from procus.services.notices.links import BookingLinks
from procus.services.notices.notifications import notify
from procus.store import bookings as booking_store
from procus.store.db import Connection

__all__ = ["announce_outcome"]


def _texts(outcome: CallOutcome, client: str, expert: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """(title, body) for the client, then for the expert."""
    if outcome is CallOutcome.NO_SHOW_EXPERT:
        return (
            ("The expert did not join", f"{expert} did not join your consultation. You will be refunded in full."),
            ("You missed a consultation", f"You did not join the call with {client}; they are refunded in full."),
        )
    if outcome is CallOutcome.NO_SHOW_CLIENT:
        return (
            ("You missed your consultation", f"You did not join the call with {expert}; the fee is not refunded."),
            ("The client did not join", f"{client} did not join the call; you are paid for the reserved time."),
        )
    both = ("Consultation missed", "Neither of you joined the call; the client is refunded in full.")
    return both, both


async def announce_outcome(tx: Connection, call: CallRecord, outcome: CallOutcome, now: dt.datetime) -> None:
    """An important in-app notification to each participant, once per booking."""
    view = await booking_store.get_view(tx, call.booking_id)
    for_client, for_expert = _texts(outcome, view.client.full_name, view.expert.full_name)
    recipients = sorted([(call.client_id, for_client), (call.expert_id, for_expert)])
    for user_id, (title, body) in recipients:
        await notify(
            tx,
            user_id=user_id,
            kind=f"call.{outcome.value}",
            title=title,
            body=body,
            data={
                "booking_id": str(call.booking_id),
                "outcome": outcome.value,
                "url": BookingLinks.booking_path(call.booking_id),
            },
            now=now,
            important=True,
            dedupe_key=f"call-outcome:{call.booking_id}",
        )
