"""One map from errors to RFC 9457 problem+json responses.

Domain errors keep their stable ``code``; framework errors get codes of their own; anything
unexpected becomes a bare 500 with the request id and no traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from procus.app.logging import request_id_var
from procus.domain import errors

__all__ = ["PROBLEM_JSON", "exception_handlers", "problem_response"]

PROBLEM_JSON = "application/problem+json"
_log = logging.getLogger("procus.errors")

_STATUS_BY_KIND: list[tuple[type[errors.DomainError], int]] = [
    (errors.InvalidInput, 422),
    (errors.AuthenticationFailed, 401),
    (errors.PermissionDenied, 403),
    (errors.PreconditionFailed, 403),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.Gone, 410),
    (errors.RateLimited, 429),
    (errors.ServiceUnavailable, 503),
]

_HTTP_CODES = {
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    503: "service_unavailable",
}

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def problem_response(
    request: Request[Any, Any, Any],
    *,
    status: int,
    code: str,
    detail: str,
    headers: dict[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    """A problem+json response; ``extra`` members never replace the standard ones."""
    body: dict[str, Any] = {
        "type": f"urn:procus:problem:{code}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "instance": request.url.path,
        "request_id": request_id_var.get(),
    }
    body.update({k: v for k, v in (extra or {}).items() if v is not None and k not in body})
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _status_for(exc: errors.DomainError) -> int:
    for kind, status in _STATUS_BY_KIND:
        if isinstance(exc, kind):
            return status
    return 400


def _domain_error(request: Request[Any, Any, Any], exc: errors.DomainError) -> Response[dict[str, Any]]:
    status = _status_for(exc)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, errors.RateLimited) else None
    if isinstance(exc, errors.AuthenticationFailed):
        headers = {"WWW-Authenticate": "Bearer"}
    field = exc.field if isinstance(exc, errors.InvalidInput) else None
    errs = [{"field": field, "message": exc.detail}] if field else None
    return problem_response(
        request, status=status, code=exc.code, detail=exc.detail, headers=headers, extra={"errors": errs, **exc.extra}
    )


_AT_PATH = re.compile(r"\s*-\s*at\s*`\$\.?([^`]*)`")
_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")


def _field_of(message: str, key: object) -> str | None:
    """The dotted path of the offending field, from msgspec's message (``- at `$.a.b` ``) or Litestar's key."""
    at = _AT_PATH.search(message)
    prefix = at.group(1) if at and at.group(1) else ""
    missing = _MISSING_FIELD.search(message)
    if missing:
        return f"{prefix}.{missing.group(1)}" if prefix else missing.group(1)
    if prefix:
        return prefix
    return key if isinstance(key, str) and key != "data" else None


def _validation_errors(exc: ValidationException) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    extra = exc.extra if isinstance(exc.extra, list) else [exc.extra] if exc.extra else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", ""))
        field = _field_of(message, item.get("key"))
        message = _AT_PATH.sub("", message).strip()
        found.append({"field": field, "source": item.get("source"), "message": message or "invalid value"})
    if not found:
        detail = str(exc.detail)
        match = _AT_PATH.search(detail)
        found.append(
            {"field": match.group(1) if match else None, "source": "body", "message": _AT_PATH.sub("", detail)}
        )
    return found


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[dict[str, Any]]:
    found = _validation_errors(exc)
    named = [e["field"] for e in found if e["field"]]
    detail = f"Invalid value for {', '.join(named)}" if named else "The request could not be parsed"
    return problem_response(request, status=400, code="validation_failed", detail=detail, extra={"errors": found})


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    status = exc.status_code
    if status >= 500:
        return _internal_error(request, exc)
    headers = dict(exc.headers or {})
    code = "malformed_body" if status == 400 else _HTTP_CODES.get(status, "http_error")
    return problem_response(request, status=status, code=code, detail=str(exc.detail), headers=headers or None)


def _internal_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    _log.error("unhandled error", exc_info=exc, extra={"path": request.url.path})
    return problem_response(
        request,
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        code="internal_error",
        detail="Something went wrong on our side. It has been logged; quote the request id if you contact us.",
    )


exception_handlers: dict[Any, Any] = {
    errors.DomainError: _domain_error,
    ValidationException: _validation_error,
    HTTPException: _http_error,
    Exception: _internal_error,
}
