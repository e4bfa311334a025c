"""Security headers on every HTTP response.

The CSP allows our own origin (the SPA and the API), the LiveKit websocket URL, and the object
storage: images from it (avatars are presigned URLs there) and requests to it (the browser PUTs an
avatar to a presigned URL), and nothing else. The OpenAPI explorer under
/schema loads its UI from a CDN, so it gets its own, looser policy.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

__all__ = ["Headers", "content_security_policy", "security_headers"]


def _livekit_origins(livekit_url: str) -> list[str]:
    parts = urlsplit(livekit_url)
    if not parts.netloc:
        return []
    http_scheme = "https" if parts.scheme in ("wss", "https") else "http"
    ws_scheme = "wss" if http_scheme == "https" else "ws"
    return [f"{ws_scheme}://{parts.netloc}", f"{http_scheme}://{parts.netloc}"]


_GOOGLE_SIGN_IN = "https://accounts.google.com/gsi/"
"""Google Identity Services: its script, styles, frames and calls (only when Google sign-in is configured)."""


def content_security_policy(livekit_url: str, storage_origin: str = "", google_sign_in: bool = False) -> str:
    google = [_GOOGLE_SIGN_IN] if google_sign_in else []
    storage = [storage_origin] if storage_origin else []
    connect = " ".join(["'self'", *_livekit_origins(livekit_url), *storage, *google])
    images = " ".join(["'self'", "data:", "blob:", *storage])
    return "; ".join(
        [
            "default-src 'self'",
            f"connect-src {connect}",
            f"img-src {images}",
            "media-src 'self' blob: mediastream:",
            " ".join(["style-src 'self' 'unsafe-inline'", *google]),
            " ".join(["script-src 'self'", *google]),
            *([f"frame-src {_GOOGLE_SIGN_IN}"] if google_sign_in else []),
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' data: https://fonts.gstatic.com https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "connect-src 'self'; frame-ancestors 'none'"
)


Headers = tuple[tuple[bytes, bytes], ...]


def security_headers(
    *, livekit_url: str, hsts: bool, storage_origin: str = "", google_sign_in: bool = False
) -> Callable[[str], Headers]:
    """The headers to add to every HTTP response, by request path (``edge`` adds them)."""
    api_headers = _headers(content_security_policy(livekit_url, storage_origin, google_sign_in), hsts=hsts)
    docs_headers = _headers(_DOCS_CSP, hsts=hsts)

    def for_path(path: str) -> Headers:
        return docs_headers if path.startswith("/schema") else api_headers

    return for_path


def _headers(csp: str, *, hsts: bool) -> Headers:
    """The headers every response gets, encoded once when the app is built."""
    headers = [
        (b"content-security-policy", csp.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(self), microphone=(self), geolocation=()"),
    ]
    if hsts:
        headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))
    return tuple(headers)
