"""``/dev/mail``: browse what the development mail catcher received (mount in development only).

``/dev/mail/api/messages`` (``?to=`` filters by recipient) and ``/dev/mail/api/messages/{id}``
return the same as JSON, for scripts and browser tests that need a verification or reset link.

Reads the directory written by ``python -m procus_devstack.mail_capture`` under the app's
``settings.data_dir`` (taken from ``app.state.settings``). A message's HTML is shown in a sandboxed
iframe (no scripts, links open in a new tab); its text links are clickable on the list page too, so
verification and password-reset links are one click away.
"""

from __future__ import annotations

import asyncio
import functools
import re
from email.utils import getaddresses
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from litestar import Controller, MediaType, Response, get
from litestar.datastructures import State
from markupsafe import Markup, escape

from procus.config import Settings
from procus.integrations.mail.captured import (
    URL_PATTERN,
    CapturedMail,
    CapturedSummary,
    list_captured,
    read_attachment,
    read_captured,
    read_raw,
)

__all__ = ["DevMailController", "linkify"]


class DevMailController(Controller):
    path = "/dev/mail"
    tags = ["dev"]
    include_in_schema = False

    @get("/", operation_id="devMailList", media_type=MediaType.HTML)
    async def list_mail(self, state: State) -> str:
        messages = await asyncio.to_thread(list_captured, _data_dir(state))
        return _render("list.html.j2", messages=messages)

    @get("/api/messages", operation_id="devMailApiList")
    async def list_json(self, state: State, to: str | None = None) -> list[CapturedSummary]:
        """Captured messages, newest first; ``to`` keeps those addressed to that email (any case)."""
        messages = await asyncio.to_thread(list_captured, _data_dir(state))
        if to is None:
            return messages
        wanted = to.strip().lower()
        return [m for m in messages if wanted in {a.lower() for a in [*m.envelope_to, *_emails(m.to)]}]

    @get("/api/messages/{mail_id:str}", operation_id="devMailApiDetail")
    async def show_json(self, state: State, mail_id: str) -> CapturedMail:
        return await asyncio.to_thread(read_captured, _data_dir(state), mail_id)

    @get("/{mail_id:str}", operation_id="devMailDetail", media_type=MediaType.HTML)
    async def show_mail(self, state: State, mail_id: str) -> str:
        mail = await asyncio.to_thread(read_captured, _data_dir(state), mail_id)
        return _render("detail.html.j2", mail=mail)

    @get("/{mail_id:str}/raw", operation_id="devMailRaw")
    async def raw_mail(self, state: State, mail_id: str) -> Response[bytes]:
        raw = await asyncio.to_thread(read_raw, _data_dir(state), mail_id)
        return _download(raw, "message/rfc822", f"{mail_id}.eml")

    @get("/{mail_id:str}/attachments/{index:int}", operation_id="devMailAttachment")
    async def download_attachment(self, state: State, mail_id: str, index: int) -> Response[bytes]:
        attachment, data = await asyncio.to_thread(read_attachment, _data_dir(state), mail_id, index)
        return _download(data, attachment.content_type, attachment.filename)


def linkify(text: str) -> Markup:
    """Escape ``text`` and turn its http(s) URLs into links that open in a new tab."""
    parts: list[str] = []
    position = 0
    for match in URL_PATTERN.finditer(text):
        url = match.group(0)
        parts.append(escape(text[position : match.start()]))
        parts.append(Markup('<a href="{0}" target="_blank" rel="noopener">{0}</a>').format(url))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def _emails(addresses: list[str]) -> list[str]:
    return [address for _, address in getaddresses(addresses)]


def _data_dir(state: State) -> str:
    settings: Settings = state.settings
    return settings.data_dir


def _download(data: bytes, content_type: str, filename: str) -> Response[bytes]:
    safe_name = re.sub(r"[^A-Za-z0-9._-]", "_", filename) or "download"
    return Response(
        data,
        media_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{safe_name}"', "X-Content-Type-Options": "nosniff"},
    )


def _render(template: str, **context: Any) -> str:
    return _environment().get_template(template).render(**context)


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("procus", "templates/dev_mail"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["linkify"] = linkify
    return env
