"""RFC 5545 / RFC 5546 (iTIP) invitations for a booking.

One booking is one calendar event for its whole life: the UID is derived from the booking id, and
every change (confirmation, reschedule, cancellation) is sent again with the same UID and a higher
SEQUENCE, so calendar clients update or remove the event they already hold instead of adding another.
The caller owns the sequence number (e.g. a counter on the booking bumped on each sent change).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

from icalendar import Calendar, Event, vCalAddress, vText

from procus.domain.errors import InvalidInput

__all__ = ["PRODID", "InviteMethod", "booking_event", "build_feed", "build_invite", "invite_uid"]

PRODID = "-//ProcusMeet//Consultation booking//EN"

InviteMethod = Literal["REQUEST", "CANCEL"]
PartStat = Literal["NEEDS-ACTION", "ACCEPTED", "DECLINED", "TENTATIVE"]


def invite_uid(booking_id: UUID | str | int) -> str:
    return f"booking-{booking_id}@procus"


def booking_event(
    *,
    booking_id: UUID | str | int,
    cancelled: bool,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str,
    join_url: str,
    organizer_email: str,
    organizer_name: str,
    attendee_email: str,
    attendee_name: str,
    attendee_partstat: PartStat = "ACCEPTED",
    attendee_rsvp: bool = False,
    stamp: datetime | None = None,
) -> Event:
    """The booking's VEVENT, times in UTC: the same UID for its whole life, STATUS CANCELLED once off.

    The organizer is the expert, the attendee the client. The client already chose the slot, so by
    default the attendee is ``PARTSTAT=ACCEPTED; RSVP=FALSE``: clients still offer "add to calendar"
    but do not mail a reply to the expert. ``stamp`` (DTSTAMP) defaults to now.
    """
    if sequence < 0:
        raise InvalidInput("invalid_sequence", "SEQUENCE must be >= 0")
    start, end = _utc(starts_at), _utc(ends_at)
    if end <= start:
        raise InvalidInput("invalid_interval", "an event must end after it starts")

    event = Event()
    event.add("uid", invite_uid(booking_id))
    event.add("sequence", sequence)
    event.add("dtstamp", _utc(stamp or datetime.now(UTC)))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    event.add("description", f"{description}\n\nJoin the call: {join_url}" if description else f"Join: {join_url}")
    event.add("location", join_url)
    event.add("url", join_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _address(organizer_email, organizer_name, {"ROLE": "CHAIR"}))
    event.add(
        "attendee",
        _address(
            attendee_email,
            attendee_name,
            {
                "CUTYPE": "INDIVIDUAL",
                "ROLE": "REQ-PARTICIPANT",
                "PARTSTAT": attendee_partstat,
                "RSVP": "TRUE" if attendee_rsvp else "FALSE",
            },
        ),
    )
    return event


def build_invite(*, method: InviteMethod, **event: Any) -> bytes:
    """The ``.ics`` bytes of an iTIP message carrying the booking's event (see :func:`booking_event`)."""
    return _calendar([booking_event(cancelled=method == "CANCEL", **event)], method=method)


def build_feed(name: str, events: list[Event]) -> bytes:
    """A subscription calendar (RFC 5545 PUBLISH) holding ``events``; clients refresh it on their own."""
    return _calendar(events, method="PUBLISH", name=name)


def _calendar(events: list[Event], *, method: str, name: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name is not None:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("naive_datetime", "calendar times must be timezone-aware")
    return moment.astimezone(UTC)


def _address(email: str, name: str, params: dict[str, str]) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(" ".join(name.replace('"', "'").split()))
    for key, value in params.items():
        address.params[key] = value
    return address
