"""Payment receipts as standalone HTML pages (printable; the browser's "Save as PDF" makes the PDF).

Every value is escaped; amounts come formatted by :func:`procus.services.mail_templates.money`, the
same figures the emails show.
"""

from __future__ import annotations

from html import escape

from procus.domain.bookings import BookingView
from procus.domain.money import Money
from procus.domain.payments import Payment
from procus.services.notices.mail_templates import localtime, money

__all__ = ["render_receipt"]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Receipt {reference}</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;color:#111}}
h1{{font-size:1.4rem}}table{{width:100%;border-collapse:collapse}}td{{padding:.4rem 0;border-bottom:1px solid #ddd}}
td.amount{{text-align:right}}.total td{{font-weight:600;border-bottom:none}}footer{{margin-top:2rem;color:#555}}
</style></head><body>
<h1>ProcusMeet receipt</h1>
<p>Receipt <strong>{reference}</strong><br>Paid {paid_at}</p>
<p>Billed to {client_name} &lt;{client_email}&gt;</p>
<table>
<tr><td>{area_title} with {expert_name}<br><small>{when} &middot; {duration} minutes</small></td>
<td class="amount">{price}</td></tr>
{refund_row}<tr class="total"><td>Total paid</td><td class="amount">{total}</td></tr>
</table>
<footer>Status: {status}. Keep this page for your records.</footer>
</body></html>
"""


def render_receipt(payment: Payment, view: BookingView, time_zone: str) -> bytes:
    """The receipt of a received payment, times in ``time_zone``."""
    currency = payment.received_currency or payment.currency
    received = Money(payment.received_amount or payment.amount, currency)
    refunded = Money(payment.refunded_amount, currency)
    refund_row = (
        f'<tr><td>Refunded</td><td class="amount">-{escape(money(refunded))}</td></tr>\n'
        if payment.refunded_amount
        else ""
    )
    booking = view.booking
    page = _PAGE.format(
        reference=escape(payment.reference),
        paid_at=escape(localtime(payment.paid_at or payment.created_at, time_zone)),
        client_name=escape(view.client.full_name),
        client_email=escape(view.client.email),
        area_title=escape(view.area_title),
        expert_name=escape(view.expert.full_name),
        when=escape(localtime(booking.starts_at, time_zone)),
        duration=booking.duration_minutes,
        price=escape(money(received)),
        refund_row=refund_row,
        total=escape(money(received - refunded)),
        status=escape(payment.status.value.replace("_", " ")),
    )
    return page.encode()
