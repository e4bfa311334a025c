"""An expert's held time with the bookings that hold it: the busy intervals the slot engine avoids, named."""

from __future__ import annotations

import datetime as dt
import uuid

from procus.domain.availability import BusyInterval
from procus.domain.slot_reasons import HeldBooking, HeldTime
from procus.store.availability import BUSY_MARGIN
from procus.store.db import Connection
from procus.store.holds import BUSY_HOLDS

__all__ = ["held_bookings"]

# A client-side hold is the call itself; an expert-side hold is the call (or proposed call) plus buffers.
HELD_BOOKINGS = f"""
SELECT h.booking_id, h.kind = 'proposal' AS proposal, h.side = 'client' AS as_client,
       lower(h.during) AS start, upper(h.during) AS end,
       CASE WHEN h.side = 'client' THEN lower(h.during) WHEN h.kind = 'proposal' THEN b.proposed_start
            ELSE c.starts_at END AS call_start,
       CASE WHEN h.side = 'client' THEN upper(h.during) WHEN h.kind = 'proposal' THEN b.proposed_end
            ELSE c.ends_at END AS call_end,
       a.title, CASE WHEN h.side = 'expert' THEN cu.full_name ELSE eu.full_name END AS other_party
FROM (SELECT $1::uuid AS id) AS e
JOIN time_holds h ON {BUSY_HOLDS}
JOIN bookings b ON b.id = h.booking_id
JOIN calls c ON c.id = b.call_id
JOIN expertise_areas a ON a.id = b.area_id
JOIN users cu ON cu.id = b.client_id
JOIN users eu ON eu.id = b.expert_id
ORDER BY lower(h.during), upper(h.during), h.booking_id
"""


async def held_bookings(conn: Connection, expert_id: uuid.UUID, start: dt.datetime) -> list[HeldBooking]:
    """Every hold of the expert that can rule out a call starting at ``start``, with its booking."""
    rows = await conn.fetch(HELD_BOOKINGS, expert_id, start - BUSY_MARGIN, start + BUSY_MARGIN)
    return [
        HeldBooking(
            held=HeldTime(
                busy=BusyInterval(row["start"], row["end"]), call=BusyInterval(row["call_start"], row["call_end"])
            ),
            booking_id=row["booking_id"],
            proposal=row["proposal"],
            as_client=row["as_client"],
            title=row["title"],
            other_party=row["other_party"],
        )
        for row in rows
    ]
