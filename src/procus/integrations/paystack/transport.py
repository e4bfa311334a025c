"""HTTP to Paystack with the retry policy; answers are raw 2xx bodies or domain errors.

Retries (bounded, exponential backoff with jitter) happen only where repeating cannot move money
twice:

* a connection that was never established, or a 429, is retried for every call: Paystack never saw
  or never processed the request;
* network failures after sending and 5xx answers are retried only for *repeatable* calls: lookups
  (GET) and initiations that carry our own unique reference (initialize, transfer), which Paystack
  deduplicates;
* refund creation carries no idempotency key, so an ambiguous failure there is never repeated: it
  raises ``ServiceUnavailable("payment_provider_outcome_unknown")`` and the caller must reconcile
  (refund.* webhooks, or fetch) before trying again.

A duplicate-reference refusal that follows an ambiguous attempt means our own lost attempt used the
reference; it surfaces as ``payment_provider_unavailable`` (start a new attempt with a new reference).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import ssl
from typing import Any

import httpx

from procus.domain.errors import Conflict, ServiceUnavailable

from .errors import provider_unavailable, refusal_error

__all__ = ["DEFAULT_TIMEOUT", "PaystackTransport"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=10.0, pool=5.0)
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class PaystackTransport:
    def __init__(
        self,
        secret_key: str,
        base_url: str,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_attempts: int = 3,
        backoff_base: float = 0.25,
        backoff_max: float = 2.0,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_max = backoff_max
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=timeout,
            verify=_tls_context(),
            headers={"Authorization": f"Bearer {secret_key}", "Accept": "application/json"},
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def send(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, str | int] | None = None,
        repeatable: bool,
        not_found_code: str | None = None,
    ) -> bytes:
        """One logical call: the 2xx body, or a domain error after the retry policy in the module doc.

        ``not_found_code`` is given for lookups only: it names the NotFound raised for an unknown id.
        """
        lost_response = False
        failure = "no attempt made"
        for attempt in range(1, self._max_attempts + 1):
            if attempt > 1:
                await asyncio.sleep(self._backoff(attempt - 1))
            try:
                response = await self._http.request(method, path, json=json, params=params)
            except _NEVER_SENT as exc:
                failure = f"could not connect: {exc!r}"
            except httpx.TransportError as exc:
                if not repeatable:
                    raise _outcome_unknown(method, path, repr(exc)) from exc
                lost_response = True
                failure = f"network error: {exc!r}"
            else:
                status = response.status_code
                if status < 400:
                    return response.content
                if status == 429:
                    failure = "rate limited (429)"
                elif status >= 500:
                    if not repeatable:
                        raise _outcome_unknown(method, path, f"HTTP {status}")
                    lost_response = True
                    failure = f"HTTP {status}"
                else:
                    error = refusal_error(status, response.content, not_found_code=not_found_code)
                    if lost_response and isinstance(error, Conflict) and error.code == "duplicate_reference":
                        raise provider_unavailable(
                            f"Paystack {method} {path}: an earlier attempt whose answer was lost used this reference; "
                            "start a new attempt with a new reference"
                        ) from error
                    raise error
            log.warning("paystack %s %s attempt %d/%d failed: %s", method, path, attempt, self._max_attempts, failure)
        raise provider_unavailable(f"Paystack {method} {path} failed after {self._max_attempts} attempts: {failure}")

    def _backoff(self, retry: int) -> float:
        ceiling = min(self._backoff_max, self._backoff_base * 2.0 ** (retry - 1))
        return ceiling * (0.5 + random.random() / 2)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default context, built once: building one costs tens of milliseconds per client."""
    return httpx.create_ssl_context()


def _outcome_unknown(method: str, path: str, failure: str) -> ServiceUnavailable:
    return ServiceUnavailable(
        "payment_provider_outcome_unknown",
        f"Paystack {method} {path} may or may not have taken effect ({failure}); reconcile before retrying",
    )
