"""Deciding no-shows: who did not come, once the no-show time has passed without the parties meeting."""

from __future__ import annotations

import logging

from procus.domain.errors import ServiceUnavailable
from procus.services.calls.attendance import CallAttendance
from procus.services.calls.core import CallContext
from procus.services.calls.ending import CallEnding
from procus.store import calls as call_store

__all__ = ["CallNoShows"]

log = logging.getLogger(__name__)


class CallNoShows:
    def __init__(self, context: CallContext, ending: CallEnding, attendance: CallAttendance) -> None:
        self._ctx = context
        self._ending = ending
        self._attendance = attendance

    async def decide_no_shows(self) -> int:
        """Settle every confirmed call whose parties have not met by the no-show time; returns how many.

        Each room is listed first, so a participant whose ``participant_joined`` webhook was lost
        still counts as present. While the video server cannot be reached the decision waits, up
        to the end of the join window; then it is made from what we know.
        """
        now = self._ctx.clock.now()
        policy = self._ctx.policy
        async with self._ctx.db.connection() as conn:
            due = await call_store.calls_due_for_no_show(
                conn, now, no_show_after=policy.no_show_after, grace=policy.grace
            )
            calls = [await call_store.get_call(conn, booking_id) for booking_id in due]
        decided = 0
        for call in calls:
            if now < call.closes_at(policy):
                try:
                    await self._attendance.observe(call)
                except ServiceUnavailable:
                    log.warning(
                        "no-show decision postponed: video unavailable", extra={"booking_id": str(call.booking_id)}
                    )
                    continue
            decided += await self._ending.settle(call.booking_id, now) is not None
        return decided
