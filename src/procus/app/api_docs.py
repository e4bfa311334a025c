"""The API reference under ``/schema`` (Scalar) and ``/schema/swagger`` (Swagger UI), served offline.

Their JavaScript and CSS come from the ``offapi`` wheel, pinned in ``uv.lock`` (it bundles
``@scalar/api-reference`` and ``swagger-ui-dist`` at fixed versions), and are served by the app under
``/schema/assets/``: the docs work without a network and never change under us the way a CDN's
``@latest`` does. No page here refers to another host (no CDN favicon or fonts either).
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from litestar import Response, get
from litestar.exceptions import NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

__all__ = ["ASSETS_PATH", "api_docs_config", "docs_asset"]

ASSETS_PATH = "/schema/assets"
_PACKAGE = "offapi"
_ASSETS = {
    "scalar.js": "text/javascript",
    "swagger_bundle.js": "text/javascript",
    "swagger_preset.js": "text/javascript",
    "swagger_style.css": "text/css",
}
_SCALAR_CSS = "scalar.css"
"""Scalar's bundle carries its own styles; this replaces the stylesheet Litestar would load from a CDN."""
_FAVICON = "<link rel='icon' href='data:,'>"


@functools.cache
def _assets_dir() -> Path:
    """Where the wheel's files are, found without importing it (its ``__init__`` reads them all)."""
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {_PACKAGE} wheel (API reference assets) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


@get(f"{ASSETS_PATH}/{{name:str}}", operation_id="getApiDocsAsset", include_in_schema=False, sync_to_thread=True)
def docs_asset(name: str) -> Response[bytes]:
    """One of the pinned files; they never change within a release, so browsers may keep them."""
    if name == _SCALAR_CSS:
        return Response(b"body { margin: 0 }\n", media_type="text/css")
    media_type = _ASSETS.get(name)
    if media_type is None:
        raise NotFoundException(f"No API reference asset named {name}")
    data = (_assets_dir() / name).read_bytes()
    return Response(data, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})


def api_docs_config(*, title: str, version: str) -> OpenAPIConfig:
    return OpenAPIConfig(
        title=title,
        version=version,
        path="/schema",
        render_plugins=[
            ScalarRenderPlugin(
                js_url=f"{ASSETS_PATH}/scalar.js",
                css_url=f"{ASSETS_PATH}/{_SCALAR_CSS}",
                favicon=_FAVICON,
                options={"withDefaultFonts": False},
            ),
            SwaggerRenderPlugin(
                path="/swagger",
                js_url=f"{ASSETS_PATH}/swagger_bundle.js",
                css_url=f"{ASSETS_PATH}/swagger_style.css",
                standalone_preset_js_url=f"{ASSETS_PATH}/swagger_preset.js",
                favicon=_FAVICON,
            ),
        ],
    )
