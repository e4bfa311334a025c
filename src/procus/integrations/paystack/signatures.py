"""Signatures on incoming payment-provider webhooks.

Paystack signs every webhook with ``x-paystack-signature``: the hex HMAC-SHA512 of the raw request
body keyed with the secret key. The digest must be computed over the exact bytes received (JSON
re-serialisation changes them) and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["paystack_signature", "verify_paystack_signature"]


def paystack_signature(secret: str, body: bytes) -> str:
    """The lowercase hex HMAC-SHA512 of ``body`` keyed with ``secret``, as Paystack sends it."""
    return hmac.new(secret.encode(), body, hashlib.sha512).hexdigest()


def verify_paystack_signature(secret: str, body: bytes, header: str | None) -> bool:
    """True only if ``header`` is the signature of ``body``; a missing header or empty secret never passes."""
    if not secret or not header:
        return False
    expected = paystack_signature(secret, body).encode()
    return hmac.compare_digest(expected, header.strip().lower().encode())
