"""``MailSender`` over SMTP with aiosmtplib.

Failures are sorted into the two kinds a job runner can act on: a transient failure (server down,
timeout, any 4xx, our own credentials or sender refused: things an operator or time can fix) raises
``ServiceUnavailable("mail_unavailable")`` so the job retries; a permanent refusal of the message
or of every recipient (5xx on RCPT or DATA) raises ``InvalidInput("mail_rejected")``, which no retry
can cure. When only some recipients are refused the message has already gone to the others, so the
refusals are logged and the send counts as done (a retry would duplicate it).
"""

from __future__ import annotations

import logging
import ssl
from typing import TYPE_CHECKING, Literal

import aiosmtplib

from procus.domain.errors import InvalidInput, ServiceUnavailable
from procus.domain.mail import EmailMessage, address_email
from procus.integrations.mail.mime import build_mime

if TYPE_CHECKING:
    from procus.config import Settings

__all__ = ["SmtpMailSender", "SmtpTls"]

log = logging.getLogger(__name__)

SmtpTls = Literal["none", "starttls", "tls"]
DEV_SMTP_HOST = "127.0.0.1"


class SmtpMailSender:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        mail_from: str,
        username: str = "",
        password: str = "",
        tls: SmtpTls = "none",
        timeout: float = 30.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        """``tls``: ``none`` (plain, never upgrades), ``starttls`` (upgrade required) or ``tls``
        (implicit TLS, usually port 465). ``tls_context`` overrides certificate checking (tests)."""
        self.host = host
        self.port = port
        self.mail_from = mail_from
        self.username = username
        self.password = password
        self.tls: SmtpTls = tls
        self.timeout = timeout
        self.tls_context = tls_context

    @classmethod
    def from_settings(cls, settings: Settings, *, tls_context: ssl.SSLContext | None = None) -> SmtpMailSender:
        """An empty ``smtp_host`` means the development mail catcher on 127.0.0.1."""
        return cls(
            host=settings.smtp_host or DEV_SMTP_HOST,
            port=settings.smtp_port,
            mail_from=settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
            tls=settings.smtp_tls,
            tls_context=tls_context,
        )

    async def send(self, message: EmailMessage) -> None:
        mime = build_mime(message, sender=self.mail_from)
        recipients = [address_email(address) for address in message.to]
        try:
            refused, _ = await aiosmtplib.send(
                mime,
                sender=address_email(self.mail_from),
                recipients=recipients,
                hostname=self.host,
                port=self.port,
                username=self.username or None,
                password=self.password or None,
                use_tls=self.tls == "tls",
                start_tls=self.tls == "starttls",
                timeout=self.timeout,
                tls_context=self.tls_context,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise _recipients_refused(exc) from exc
        except (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError) as exc:
            if exc.code >= 500:
                raise InvalidInput("mail_rejected", f"the mail server refused the message: {exc.message}") from exc
            raise _unavailable(exc) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise _unavailable(exc) from exc
        if refused:
            log.warning(
                "some recipients refused",
                extra={"refused": {address: response.code for address, response in refused.items()}},
            )


def _recipients_refused(exc: aiosmtplib.SMTPRecipientsRefused) -> InvalidInput | ServiceUnavailable:
    codes = {refusal.recipient: refusal.code for refusal in exc.recipients}
    if all(code >= 500 for code in codes.values()):
        return InvalidInput("mail_rejected", "the mail server refused every recipient", refused=codes)
    return ServiceUnavailable("mail_unavailable", "a recipient was temporarily refused", refused=codes)


def _unavailable(exc: Exception) -> ServiceUnavailable:
    log.warning("mail server unavailable", extra={"error": f"{type(exc).__name__}: {exc}"})
    return ServiceUnavailable("mail_unavailable", "the mail server could not take the message")
