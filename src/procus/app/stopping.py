"""What the app does when its server is told to stop (SIGTERM from the orchestrator, SIGINT/Ctrl-C).

uvicorn answers those signals by refusing new connections and waiting (``GRACEFUL_SHUTDOWN_SECONDS``)
for the open ones to finish their response. Requests in flight do; a live notification stream never
would, and would be cancelled mid-write when the wait runs out. So the app chains its own handler in
front of uvicorn's: it ends the streams at once (clients reconnect elsewhere and resume by
``Last-Event-ID``) and then lets uvicorn's handler start the drain as before.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Callable
from types import FrameType

__all__ = ["STOP_SIGNALS", "on_stop_signal"]

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def on_stop_signal(stop: Callable[[], None]) -> None:
    """Run ``stop`` on this event loop when a stop signal arrives, before the handler already installed.

    Call it from the app's start-up, where uvicorn has already installed its handlers (and restores
    its own saved ones when it exits, which removes this one). Signals reach only the main thread, so
    an app served from another thread (tests) is left as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        previous = signal.getsignal(sig)

        def handler(signum: int, frame: FrameType | None, previous: object = previous) -> None:
            loop.call_soon_threadsafe(stop)
            if callable(previous):
                previous(signum, frame)

        signal.signal(sig, handler)
