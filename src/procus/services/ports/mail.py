"""The port through which services send email."""

from __future__ import annotations

from typing import Protocol

from procus.domain.mail import EmailMessage

__all__ = ["MailSender"]


class MailSender(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Hand ``message`` to the mail system.

        Raises ``ServiceUnavailable("mail_unavailable")`` when the failure is transient (server down,
        timeout, 4xx) so a job can retry, and ``InvalidInput("mail_rejected")`` when the recipient is
        permanently refused (5xx), where retrying cannot help.
        """
        ...
