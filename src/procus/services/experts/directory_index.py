"""The directory's availability index: each listed expert's next free slot and free starts, kept current.

What is stored is what the slot engine says (``domain.free_time`` packs ``compute_slots``' answer);
nothing here decides on its own whether a time is free. The booking-time check stays authoritative:
the index only decides what the directory lists.

How it stays current:

* Every change that can move an expert's free time (holds taken or released by bookings,
  cancellations and reschedules; weekly hours, date overrides and booking settings; areas;
  approval, publishing and the account being active) puts the expert on the refresh queue, and
  queues a ``directory.refresh`` job when the expert was not queued yet, inside the changing
  transaction (database triggers, so no code path can forget). A job drains the whole queue in
  batches: two queries load a batch's hours and busy time, the engine runs once per expert for all
  their call lengths (``compute_slot_runs``), one statement writes the result.
* The listing itself refreshes up to ``read_repair`` queued experts before answering, so a change
  is normally visible to the next listing request even before the worker gets to it.
* Time alone changes the answer when an expert's next start enters the notice window, when new
  starts appear at the far end of the window, or, for an expert with nothing free, at any moment.
  Each row says when (``fresh_until``); the sweep (every minute) re-queues and refreshes those.

The lag bound, proven by ``tests/experts/test_directory_exactness.py``: a row's answer equals the
engine's until its ``fresh_until``, and the sweep refreshes rows past it every minute, so
``soonest``, "free within" and the cards' next free slot trail the clock by at most one sweep
period plus one sweep's run; a change is in the index as soon as its refresh job has run
(``bench/README.md``: seconds after a burst of 1,000 bookings), and at the latest after the next
sweep. New starts at the far end of the 62-day window reach the "free between" filter within
``far_end_refresh`` (an hour). Booking never trusts the index: it checks the slot itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence

import msgspec

from procus.domain.free_time import FreeTime, compute_free_time
from procus.domain.marketplace import MAX_FREE_WITHIN_DAYS
from procus.services.ports.clock import Clock
from procus.store import availability, directory
from procus.store.db import Database

__all__ = ["SWEEP_CRON", "DirectoryIndex", "IndexPolicy"]

log = logging.getLogger(__name__)

SWEEP_CRON = "* * * * *"


class IndexPolicy(msgspec.Struct, frozen=True, kw_only=True):
    window: dt.timedelta = dt.timedelta(days=MAX_FREE_WITHIN_DAYS)
    """How far ahead free starts are kept: the longest "free within" the listing accepts."""
    far_end_refresh: dt.timedelta = dt.timedelta(hours=1)
    empty_refresh: dt.timedelta = dt.timedelta(minutes=1)
    """An expert with nothing free in the window is recomputed this often (the sweep's period)."""
    batch: int = 200
    read_repair: int = 20
    """Queued experts a listing request refreshes itself before answering."""


class DirectoryIndex:
    def __init__(self, db: Database, clock: Clock, policy: IndexPolicy | None = None) -> None:
        self._db = db
        self._clock = clock
        self._policy = policy or IndexPolicy()

    async def refresh_pending(self, limit: int | None = None) -> int:
        """Refresh queued experts, in batches, until the queue is empty (or ``limit`` were done)."""
        done = 0
        while limit is None or done < limit:
            size = self._policy.batch if limit is None else min(self._policy.batch, limit - done)
            async with self._db.connection() as conn:
                claimed = await directory.claim_pending(conn, size)
            if not claimed:
                break
            try:
                await self.refresh(claimed)
            except BaseException:
                async with self._db.transaction() as tx:
                    await directory.queue_refresh(tx, claimed)
                raise
            done += len(claimed)
        return done

    async def read_repair(self) -> int:
        """What a listing request does first: refresh a few queued experts, if any."""
        return await self.refresh_pending(self._policy.read_repair)

    async def sweep(self) -> int:
        """Re-queue experts whose answer time has moved, then drain the queue."""
        async with self._db.transaction() as tx:
            await directory.queue_stale(tx, self._clock.now())
        refreshed = await self.refresh_pending()
        if refreshed:
            log.info("directory sweep refreshed %d experts", refreshed)
        return refreshed

    async def refresh(self, expert_ids: Sequence[uuid.UUID]) -> None:
        """Recompute these experts' free time with the slot engine and store it.

        Refreshes of the same expert are serialised and read after taking the lock, so the last one
        to write has read the latest committed hours and bookings.
        """
        policy = self._policy
        async with self._db.transaction() as tx:
            await directory.lock_experts(tx, expert_ids)
            now = self._clock.now()
            offers = [offer for offer in await directory.load_offers(tx, expert_ids) if offer.listed]
            listed = [offer.expert_id for offer in offers]
            until = now + policy.window
            hours = await availability.load_availabilities(tx, listed, now, until) if listed else {}
            busy = await availability.load_busy(tx, listed, now, until) if listed else {}
            computed: list[tuple[uuid.UUID, FreeTime]] = []
            for offer in offers:
                expert_hours = hours[offer.expert_id]
                expert_busy = busy.get(offer.expert_id, ())
                found = compute_free_time(
                    expert_hours,
                    expert_busy,
                    durations=offer.durations,
                    now=now,
                    window=policy.window,
                    far_end_refresh=policy.far_end_refresh,
                    empty_refresh=policy.empty_refresh,
                )
                computed += [(offer.expert_id, free) for free in found]
            await directory.write_free_time(tx, expert_ids, computed)
