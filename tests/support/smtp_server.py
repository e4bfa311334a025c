"""A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port, keeping what it receives in memory.

It runs on the test's own event loop. Recipients are refused by their local part so error paths need
no configuration: ``refuse-...@`` gets ``550`` (permanent), ``defer-...@`` gets ``451`` (transient).
Optionally it requires STARTTLS, speaks implicit TLS, and/or requires AUTH with given credentials.

Use the ``smtp_server`` fixture (import it into the test module or a conftest) or
``start_smtp_server(...)`` for non-default options; ``await server.wait_for(n)`` returns the first
``n`` parsed messages.
"""

from __future__ import annotations

import asyncio
import email
import email.message
import email.policy
import ssl
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

__all__ = ["ReceivedMail", "SmtpTestServer", "smtp_server", "start_smtp_server"]

HOST = "127.0.0.1"


@dataclass(frozen=True)
class ReceivedMail:
    envelope_from: str
    envelope_to: list[str]
    raw: bytes
    message: email.message.EmailMessage


@dataclass
class SmtpTestServer:
    host: str
    port: int
    received: list[ReceivedMail] = field(default_factory=list)
    authenticated_as: list[str] = field(default_factory=list)
    answer_delay: float = 0.0
    """Seconds each message takes to be accepted, as on a real server over a network."""
    _server: asyncio.Server | None = None
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [mail.message for mail in self.received]

    async def wait_for(self, count: int = 1, timeout: float = 5.0) -> list[email.message.EmailMessage]:
        async with self._arrived:
            try:
                await asyncio.wait_for(self._arrived.wait_for(lambda: len(self.received) >= count), timeout)
            except TimeoutError:
                raise TimeoutError(f"expected {count} message(s) within {timeout}s, got {len(self.received)}") from None
        return self.messages[:count]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _record(self, mail: ReceivedMail) -> None:
        async with self._arrived:
            self.received.append(mail)
            self._arrived.notify_all()


class _Handler:
    def __init__(self, server: SmtpTestServer) -> None:
        self.server = server

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        local_part = address.split("@", 1)[0].lower()
        if local_part.startswith("refuse"):
            return f"550 5.1.1 <{address}>: no such user"
        if local_part.startswith("defer"):
            return f"451 4.3.0 <{address}>: try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw: bytes = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        if self.server.answer_delay:
            await asyncio.sleep(self.server.answer_delay)
        await self.server._record(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), raw, message))
        return "250 Message accepted"


async def start_smtp_server(
    *,
    starttls_context: ssl.SSLContext | None = None,
    implicit_tls_context: ssl.SSLContext | None = None,
    credentials: tuple[str, str] | None = None,
    port: int = 0,
) -> SmtpTestServer:
    """Start a server; ``starttls_context`` makes STARTTLS mandatory, ``implicit_tls_context`` makes the
    listener TLS from the first byte, ``credentials`` makes AUTH (PLAIN/LOGIN) mandatory; ``port``
    (default: a free one) lets a stopped server come back where its clients expect it."""
    loop = asyncio.get_running_loop()
    result = SmtpTestServer(HOST, 0)
    handler = _Handler(result)

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        if (
            credentials is not None
            and isinstance(auth_data, LoginPassword)
            and (auth_data.login.decode(), auth_data.password.decode()) == credentials
        ):
            result.authenticated_as.append(credentials[0])
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def factory() -> SMTP:
        with warnings.catch_warnings():
            # With implicit TLS the transport is already encrypted; aiosmtpd only knows about STARTTLS.
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS", UserWarning)
            return _smtp()

    def _smtp() -> SMTP:
        return SMTP(
            handler,
            hostname="procus-test-smtp",
            tls_context=starttls_context,
            require_starttls=starttls_context is not None,
            authenticator=authenticate if credentials else None,
            auth_required=credentials is not None,
            auth_require_tls=implicit_tls_context is None,
            loop=loop,
        )

    server = await loop.create_server(factory, HOST, port, ssl=implicit_tls_context)
    result._server = server
    result.port = server.sockets[0].getsockname()[1]
    return result


@pytest.fixture
async def smtp_server() -> AsyncIterator[SmtpTestServer]:
    """A plain SMTP server (no TLS, no AUTH) for one test."""
    server = await start_smtp_server()
    yield server
    await server.stop()
