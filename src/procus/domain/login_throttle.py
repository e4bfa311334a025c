"""How long a caller waits before its next sign-in attempt, after too many failures.

A delay, not a lockout: a hard lock after N failures lets anyone lock a victim out by typing wrong
passwords for the victim's email. Here the first ``free`` failures inside the window cost nothing;
each one after that doubles the wait before the next attempt, up to ``cap``. Someone guessing is
slowed to a trickle, and the owner can always sign in after at most ``cap``.
"""

from __future__ import annotations

import datetime as dt
import math

import msgspec

__all__ = ["AttemptHistory", "LoginDelay", "next_attempt_at", "retry_after_seconds"]


class LoginDelay(msgspec.Struct, frozen=True, kw_only=True):
    free: int
    base: dt.timedelta
    cap: dt.timedelta

    def after(self, failures: int) -> dt.timedelta:
        """The wait after the most recent attempt, given ``failures`` in the window (pending ones count)."""
        excess = failures - self.free
        if excess < 0:
            return dt.timedelta(0)
        doubled: dt.timedelta = self.base * 2 ** min(excess, 30)
        return min(doubled, self.cap)


class AttemptHistory(msgspec.Struct, frozen=True):
    """Failed (or still undecided) attempts for one email or one address inside the window."""

    failures: int
    latest: dt.datetime | None


def next_attempt_at(*limits: tuple[LoginDelay, AttemptHistory]) -> dt.datetime | None:
    """The earliest instant the next attempt may start under every (delay, history) pair, or None if now."""
    found = [
        h.latest + delay.after(h.failures) for delay, h in limits if h.latest is not None and h.failures >= delay.free
    ]
    return max(found) if found else None


def retry_after_seconds(allowed_at: dt.datetime, now: dt.datetime) -> int:
    return max(1, math.ceil((allowed_at - now).total_seconds()))
