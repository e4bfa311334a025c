"""``/`` in development before the SPA is built: where to find what the dev stack runs.

Without it a newcomer's first visit to http://127.0.0.1:8000 is a 404. Mounted only in development
and only when there is no SPA build; the built SPA owns ``/`` as soon as it exists.
"""

from __future__ import annotations

from litestar import MediaType, get
from litestar.datastructures import State
from markupsafe import escape

from procus.config import Settings

__all__ = ["dev_home"]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ProcusMeet (development)</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}}
code{{background:#f3f3f3;padding:0 .25rem}}</style></head>
<body><h1>ProcusMeet is running</h1>
<p>The web app (<code>frontend/</code>) is not built yet, so this page stands in for it.</p>
<ul>
<li><a href="/schema">API reference</a> (Scalar) and <a href="/schema/swagger">Swagger UI</a></li>
<li><a href="/dev/mail">Captured mail</a>: verification and password-reset links land here</li>
<li><a href="/v1/experts">Listed experts</a> and <a href="/v1/categories">categories</a> (JSON)</li>
<li><a href="/readyz">Readiness</a>: database and migrations</li>
<li>Fake Paystack (checkout pages open from a booking's <code>authorization_url</code>): {paystack}</li>
<li>LiveKit server: {livekit}</li>
</ul></body></html>
"""


@get("/", operation_id="devHome", media_type=MediaType.HTML, include_in_schema=False, sync_to_thread=False)
def dev_home(state: State) -> str:
    settings: Settings = state.settings
    return _PAGE.format(paystack=escape(settings.paystack_base_url), livekit=escape(settings.livekit_url))
