"""Serve the built SPA (frontend/dist): real files as they are, every other page path as index.html,
so client-side routes survive a reload. API-looking paths stay proper 404 problems."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.handlers import HTTPRouteHandler
from litestar.response import File

__all__ = ["spa_handler"]

_NOT_PAGES = ("v1/", "schema", "dev/", "metrics", "healthz", "readyz")


def _file(path: Path, cache_control: str) -> File:
    """A file with its real media type (text/html, text/javascript, ...), never a download."""
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return File(
        path,
        filename=path.name,
        media_type=media_type,
        content_disposition_type="inline",
        headers={"Cache-Control": cache_control},
    )


def spa_handler(dist: Path) -> HTTPRouteHandler:
    root = dist.resolve()
    index = root / "index.html"

    @get(["/", "/{path:path}"], operation_id="spa", include_in_schema=False, sync_to_thread=False)
    def spa(path: str = "") -> Response[Any]:
        relative = path.lstrip("/")
        if relative.startswith(_NOT_PAGES):
            raise NotFoundException()
        candidate = (root / relative).resolve()
        if relative and candidate.is_file() and candidate.is_relative_to(root):
            immutable = relative.startswith("assets/")
            return _file(candidate, "public, max-age=31536000, immutable" if immutable else "no-cache")
        return _file(index, "no-cache")

    return spa
