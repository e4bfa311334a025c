"""The reminder reader sees bookings as they are."""

from __future__ import annotations

import msgspec

from procus.domain.accounts import Role
from procus.services.bookings import BookingRequest, BookingService
from procus.services.notices.bookings import BookingLinks, BookingReminderReader
from procus.store.db import Database
from tests.bookings.conftest import PUBLIC_URL
from tests.support.bookings import BookableExpert, insert_client, principal, slot_start
from tests.support.fakes import FakeClock


async def test_reminders_read_the_booking_as_it_is_now(
    db: Database, clock: FakeClock, bookings: BookingService, expert: BookableExpert
) -> None:
    client_id = await insert_client(db)
    start = slot_start(clock.now())
    request = BookingRequest(expert_id=expert.id, area_id=expert.area_id, start=start)
    booking_id = (await bookings.requests.request(principal(client_id), request)).result.booking.view.booking.id
    reader = BookingReminderReader(BookingLinks(PUBLIC_URL))
    async with db.connection() as conn:
        pending = await reader.booking_for_reminder(conn, booking_id)
    await bookings.answers.accept(principal(expert.id, Role.EXPERT), booking_id)
    async with db.connection() as conn:
        confirmed = await reader.booking_for_reminder(conn, booking_id)
        assert await reader.booking_for_reminder(conn, client_id) is None
    assert pending is not None
    assert not pending.confirmed
    assert confirmed is not None
    assert (confirmed.confirmed, confirmed.sequence, confirmed.starts_at) == (True, 0, start)
    assert confirmed.join_url == f"{PUBLIC_URL}/bookings/{booking_id}/call"
    parties = {party.user_id: party.other_party_name for party in confirmed.parties}
    assert parties == {client_id: "Grace Hopper", expert.id: "Ada Client"}
    assert msgspec.to_builtins(confirmed)["topic"] == "Python mentoring"
