"""Email over SMTP."""

from __future__ import annotations

from procus.integrations.mail.mime import build_mime
from procus.integrations.mail.smtp import SmtpMailSender

__all__ = ["SmtpMailSender", "build_mime"]
