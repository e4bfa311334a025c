"""A local SMTP server that keeps every message instead of delivering it (development only).

Run it with ``python -m procus_devstack.mail_capture``: it listens on 127.0.0.1:``SMTP_PORT`` (1025),
stores messages under ``<DATA_DIR>/mail/`` and prints one line per message. With ``SMTP_HOST`` unset
the app's ``SmtpMailSender`` sends here, and ``/dev/mail`` shows what arrived.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

from procus.config import get_settings
from procus.integrations.mail.captured import (
    CapturedMail,
    CapturedSummary,
    list_captured,
    mail_dir,
    read_captured,
    store_message,
)

__all__ = ["CaptureHandler", "CapturedMail", "CapturedSummary", "MailCapture", "list_captured", "main", "read_captured"]

DEFAULT_HOST = "127.0.0.1"
SERVER_HOSTNAME = "procus-mail-capture"


class CaptureHandler:
    """aiosmtpd handler: accept every message and store it."""

    def __init__(
        self, data_dir: str | os.PathLike[str], on_message: Callable[[CapturedSummary], None] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.on_message = on_message

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw: bytes = envelope.original_content or envelope.content
        summary = await asyncio.to_thread(
            store_message,
            self.data_dir,
            raw,
            envelope_from=envelope.mail_from or "",
            envelope_to=list(envelope.rcpt_tos),
        )
        if self.on_message is not None:
            self.on_message(summary)
        return "250 Message accepted for delivery"


class MailCapture:
    """The capture server on its own thread (aiosmtpd ``Controller``); usable as a context manager."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        host: str = DEFAULT_HOST,
        port: int = 1025,
        on_message: Callable[[CapturedSummary], None] | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.host = host
        self.port = port
        self._controller = Controller(
            CaptureHandler(data_dir, on_message),
            hostname=host,
            port=port,
            server_hostname=SERVER_HOSTNAME,
            data_size_limit=32 * 1024 * 1024,
        )

    def start(self) -> None:
        mail_dir(self.data_dir).mkdir(parents=True, exist_ok=True)
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> MailCapture:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def _print_summary(summary: CapturedSummary) -> None:
    recipients = ", ".join(summary.envelope_to)
    print(
        f"{summary.received_at:%H:%M:%S} {summary.envelope_from} -> {recipients}: {summary.subject} [{summary.id}]",
        flush=True,
    )


def main() -> None:
    settings = get_settings()
    capture = MailCapture(settings.data_dir, port=settings.smtp_port, on_message=_print_summary)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    with capture:
        print(
            f"mail capture on smtp://{capture.host}:{capture.port}, "
            f"storing in {mail_dir(settings.data_dir)} (see /dev/mail)",
            flush=True,
        )
        stopped.wait()


if __name__ == "__main__":
    main()
