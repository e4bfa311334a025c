"""First come, first served in front of the asyncpg pool.

asyncpg keeps its free connections in an ``asyncio.LifoQueue``. When a connection comes back the
queue wakes the longest waiter, but a request that arrives before that waiter runs finds the
connection free and takes it, and the woken waiter goes to the *back* of the line. Under load
this barging starves a few requests again and again: the slot list's p99 at saturation was
5-10x its median. The gate lets at most as many holders through as the pool has connections and
hands each freed place straight to the oldest waiter, so nobody overtakes and the pool itself
never makes anyone wait.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from types import TracebackType

__all__ = ["PoolGate"]


class PoolGate:
    """A FIFO semaphore that hands a released place directly to the next waiter."""

    def __init__(self, places: int) -> None:
        if places < 1:
            raise ValueError("a gate needs at least one place")
        self._free = places
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return sum(1 for waiter in self._waiters if not waiter.done())

    async def acquire(self) -> None:
        # A free place implies no one is waiting: release() hands places to waiters first.
        if self._free:
            self._free -= 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # handed a place just as we were cancelled: pass it on
            else:
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
            raise

    def release(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self._free += 1

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
