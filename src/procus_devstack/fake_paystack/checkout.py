"""The hosted checkout page behind ``authorization_url``: the amount, a test card, Pay or Decline.

Pay marks the transaction successful (``charge.success`` webhook) and Decline marks it failed; both
send the customer back to ``callback_url?trxref=...&reference=...`` as Paystack does, where the
merchant must verify the transaction rather than trust the visit.
"""

from __future__ import annotations

from html import escape
from typing import Annotated
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from litestar import Controller, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from .engine import FakePaystack
from .ledger import REFUND_FAIL_CARD
from .records import SUCCESS_CARD, Transaction

__all__ = ["CheckoutPage", "callback_target"]

_CARDS = {SUCCESS_CARD: "4084 0840 8408 4081 (succeeds)", REFUND_FAIL_CARD: "4084 0800 0067 1803 (refunds fail)"}

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Paystack checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}}
.amount{{font-size:2rem;font-weight:600}}button{{font-size:1rem;padding:.6rem 1.2rem;margin-right:.5rem}}
.note{{color:#666;font-size:.85rem}}</style></head>
<body><p class="note">Fake Paystack (development only)</p>
<p>{email}</p><p class="amount">{currency} {major}</p><p>Reference <code>{reference}</code></p>
{body}</body></html>"""

_FORM = """<form method="post" action="/checkout/{code}/pay">
<label>Test card <select name="card">{options}</select></label>
<p><button type="submit" id="pay">Pay</button>
<button type="submit" id="decline" formaction="/checkout/{code}/decline">Decline</button></p></form>"""


def callback_target(transaction: Transaction) -> str | None:
    if not transaction.callback_url:
        return None
    parts = urlsplit(transaction.callback_url)
    query = [*parse_qsl(parts.query), ("trxref", transaction.reference), ("reference", transaction.reference)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _render(transaction: Transaction) -> str:
    if transaction.status == "abandoned":
        options = "".join(f'<option value="{card}">{escape(label)}</option>' for card, label in _CARDS.items())
        body = _FORM.format(code=escape(transaction.access_code), options=options)
    else:
        target = callback_target(transaction)
        link = f'<p><a href="{escape(target)}">Return to the merchant</a></p>' if target else ""
        body = f"<p>This payment is <strong>{escape(transaction.status)}</strong>.</p>{link}"
    whole, cents = divmod(transaction.amount, 100)
    return _PAGE.format(
        email=escape(transaction.email),
        currency=escape(transaction.currency),
        major=f"{whole:,}.{cents:02d}",
        reference=escape(transaction.reference),
        body=body,
    )


def _after(transaction: Transaction) -> Response[str] | Redirect:
    target = callback_target(transaction)
    if target is None:
        return Response(_render(transaction), media_type="text/html")
    return Redirect(target, status_code=303)


class CheckoutPage(Controller):
    path = "/checkout"

    @get("/{access_code:str}")
    async def page(self, fake: FakePaystack, access_code: str) -> Response[str]:
        return Response(_render(fake.ledger.by_access_code(access_code)), media_type="text/html")

    @post("/{access_code:str}/pay", status_code=303)
    async def pay(
        self,
        fake: FakePaystack,
        access_code: str,
        data: Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[str] | Redirect:
        transaction = fake.ledger.by_access_code(access_code)
        return _after(fake.pay(transaction.reference, data.get("card")))

    @post("/{access_code:str}/decline", status_code=303)
    async def decline(self, fake: FakePaystack, access_code: str) -> Response[str] | Redirect:
        transaction = fake.ledger.by_access_code(access_code)
        return _after(fake.decline(transaction.reference))
