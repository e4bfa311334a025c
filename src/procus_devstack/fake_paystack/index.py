"""``GET /``: what the fake is and how to drive it, so ``http://127.0.0.1:8010/`` is not a 404.

The list of controls is :data:`CONTROLS`, the one description of ``/_fake/*`` (the README points here).
"""

from __future__ import annotations

from html import escape

from litestar import MediaType, get

from .engine import FakePaystack
from .ledger import REFUND_FAIL_CARD

__all__ = ["CONTROLS", "index"]

CONTROLS: tuple[tuple[str, str, str], ...] = (
    ("GET", "/_fake/transactions/{reference}", "a transaction with its refunds"),
    (
        "POST",
        "/_fake/transactions/{reference}/pay",
        f'pay it; body {{"card": "{REFUND_FAIL_CARD}"}} makes its refunds fail',
    ),
    ("POST", "/_fake/transactions/{reference}/decline", "decline it"),
    ("POST", "/_fake/refunds/{id}/process", "settle a refund (or .../fail)"),
    ("POST", "/_fake/transfers/{reference}/succeed", "settle a payout transfer (or .../fail, .../reverse)"),
    ("GET", "/_fake/webhooks?event=", "the webhooks sent to the app, with their signatures"),
    ("GET", "/_fake/requests", "every API request the fake has seen"),
    (
        "POST",
        "/_fake/faults",
        'disturb the next API requests: {"count", "status", "method", "path_prefix", "after", "delay"}',
    ),
    ("DELETE", "/_fake/faults", "clear the faults"),
)

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Paystack</title>
<style>body{{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
code{{background:#f3f3f3;padding:0 .25rem}}td{{padding:.2rem .6rem;vertical-align:top}}</style></head>
<body><h1>Fake Paystack</h1>
<p>A local stand-in for Paystack's API (<code>/transaction/*</code>, <code>/refund</code>, <code>/transfer*</code>,
<code>/bank</code>), driven by ProcusMeet's real Paystack client. Checkout pages open from a booking's
<code>authorization_url</code> (<code>/checkout/{{access_code}}</code>); webhooks go to {webhook_url},
signed with the secret key.</p>
<p>{transactions} transactions, {webhooks} webhooks sent so far.</p>
<h2>Controls (no auth; loopback only)</h2>
<table>{rows}</table>
</body></html>
"""


@get("/", media_type=MediaType.HTML, sync_to_thread=False)
def index(fake: FakePaystack) -> str:
    rows = "".join(
        f"<tr><td><code>{method}</code></td><td><code>{escape(path)}</code></td><td>{escape(what)}</td></tr>"
        for method, path, what in CONTROLS
    )
    url = fake.webhooks.url
    return _PAGE.format(
        webhook_url=f"<code>{escape(url)}</code>" if url else "nowhere (no webhook URL set)",
        transactions=len(fake.ledger.transactions),
        webhooks=len(fake.webhooks.deliveries),
        rows=rows,
    )
