"""build_invite produces RFC 5545 that icalendar parses back to exactly what went in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, Event

from procus.domain.errors import InvalidInput
from procus.services.notices.calendar_invite import PRODID, build_invite

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
STAMP = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _invite(**changes: Any) -> bytes:
    fields: dict[str, Any] = {
        "booking_id": "0b6e5c1e-2f4a-4d8e-9b1a-3c5d7e9f1a2b",
        "method": "REQUEST",
        "sequence": 2,
        "starts_at": START,
        "ends_at": START + timedelta(minutes=45),
        "summary": "Export tax in Ghana with Dr. Efua Asante",
        "description": "Your ProcusMeet consultation.",
        "join_url": "https://meet.example.com/calls/0b6e",
        "organizer_email": "efua@example.com",
        "organizer_name": "Dr. Efua Asante",
        "attendee_email": "kwame@example.com",
        "attendee_name": "Kwame Mensah",
        "stamp": STAMP,
        **changes,
    }
    return build_invite(**fields)


def _parse(data: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert isinstance(events[0], Event)
    return calendar, events[0]


def test_request_has_every_field() -> None:
    calendar, event = _parse(_invite())

    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "booking-0b6e5c1e-2f4a-4d8e-9b1a-3c5d7e9f1a2b@procus"
    assert event.decoded("SEQUENCE") == 2
    assert event.decoded("DTSTAMP") == STAMP
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTEND") == START + timedelta(minutes=45)
    assert str(event["SUMMARY"]) == "Export tax in Ghana with Dr. Efua Asante"
    assert str(event["DESCRIPTION"]) == (
        "Your ProcusMeet consultation.\n\nJoin the call: https://meet.example.com/calls/0b6e"
    )
    assert str(event["URL"]) == "https://meet.example.com/calls/0b6e"
    assert str(event["LOCATION"]) == "https://meet.example.com/calls/0b6e"
    assert str(event["STATUS"]) == "CONFIRMED"

    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:efua@example.com"
    assert organizer.params["CN"] == "Dr. Efua Asante"

    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:kwame@example.com"
    assert dict(attendee.params) == {
        "CN": "Kwame Mensah",
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "ACCEPTED",
        "RSVP": "FALSE",
    }


def test_times_are_written_in_utc() -> None:
    raw = _invite().decode()
    assert "DTSTART:20260504T090000Z" in raw
    assert "DTEND:20260504T094500Z" in raw
    assert "\r\n" in raw


def test_cancel_keeps_the_uid_and_marks_the_event_cancelled() -> None:
    _, request = _parse(_invite(sequence=0))
    calendar, cancel = _parse(_invite(method="CANCEL", sequence=1))

    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(cancel["UID"]) == str(request["UID"])
    assert cancel.decoded("SEQUENCE") == 1
    assert str(cancel["STATUS"]) == "CANCELLED"
    assert str(cancel["ATTENDEE"]) == "mailto:kwame@example.com"


def test_attendee_reply_can_be_requested() -> None:
    _, event = _parse(_invite(attendee_partstat="NEEDS-ACTION", attendee_rsvp=True))
    assert (event["ATTENDEE"].params["PARTSTAT"], event["ATTENDEE"].params["RSVP"]) == ("NEEDS-ACTION", "TRUE")


def test_awkward_text_survives_escaping_and_folding() -> None:
    summary = 'Tax; VAT, and "duties" for café owners ' + "x" * 120
    _, event = _parse(_invite(summary=summary, attendee_name='Kwame "KM" Mensah'))
    assert str(event["SUMMARY"]) == summary
    assert event["ATTENDEE"].params["CN"] == "Kwame 'KM' Mensah"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"starts_at": datetime(2026, 5, 4, 9, 0)}, "naive_datetime"),
        ({"ends_at": START}, "invalid_interval"),
        ({"sequence": -1}, "invalid_sequence"),
    ],
)
def test_invalid_input_is_refused(changes: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        _invite(**changes)
    assert raised.value.code == code


@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.timezones()).filter(
        lambda moment: moment.utcoffset() is not None
    ),
    minutes=st.integers(min_value=1, max_value=24 * 60),
    sequence=st.integers(min_value=0, max_value=10_000),
)
def test_any_zone_round_trips_to_the_same_instants(start: datetime, minutes: int, sequence: int) -> None:
    end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(start.tzinfo)
    _, event = _parse(_invite(starts_at=start, ends_at=end, sequence=sequence))
    # Compared in UTC: PEP 495 makes a local time in a DST gap or fold unequal to any other zone's time.
    assert event.decoded("DTSTART") == start.replace(microsecond=0).astimezone(UTC)
    assert event.decoded("DTEND") == end.replace(microsecond=0).astimezone(UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("SEQUENCE") == sequence


def test_local_zone_input_is_converted_to_utc() -> None:
    lagos = START.astimezone(ZoneInfo("Africa/Lagos"))
    raw = _invite(starts_at=lagos, ends_at=lagos + timedelta(hours=1))
    assert "DTSTART:20260504T090000Z" in raw.decode()
    assert _parse(raw)[1].decoded("DTSTART") == START
