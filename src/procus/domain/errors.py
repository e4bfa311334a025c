"""The one error hierarchy that services raise and the app maps to RFC 9457 problem+json.

Each concrete error carries a stable, machine-readable ``code`` (snake_case, part of the API
contract) and a human ``detail``. The *kind* of error is the class; the HTTP status is decided in
one place (``procus.app.problems``), never here, so the domain stays free of transport concerns.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AuthenticationFailed",
    "Conflict",
    "DomainError",
    "Gone",
    "InvalidInput",
    "NotFound",
    "PermissionDenied",
    "PreconditionFailed",
    "RateLimited",
    "ServiceUnavailable",
]


class DomainError(Exception):
    """Base of every error a caller can act on."""

    default_code = "error"

    def __init__(self, code: str | None = None, detail: str = "", **extra: Any) -> None:
        self.code = code or self.default_code
        self.detail = detail or self.code.replace("_", " ")
        self.extra = extra
        super().__init__(f"{self.code}: {self.detail}")


class InvalidInput(DomainError):
    """The request is well-formed but breaks a rule (422). ``field`` names the culprit if any."""

    default_code = "invalid_input"

    def __init__(self, code: str | None = None, detail: str = "", *, field: str | None = None, **extra: Any) -> None:
        super().__init__(code, detail, **extra)
        self.field = field


class AuthenticationFailed(DomainError):
    """Who you are could not be established (401)."""

    default_code = "not_authenticated"


class PermissionDenied(DomainError):
    """You are known but may not do this (403)."""

    default_code = "forbidden"


class NotFound(DomainError):
    """The thing does not exist, or you may not know that it does (404)."""

    default_code = "not_found"

    @classmethod
    def no_such(cls, thing: str) -> NotFound:
        """``<thing>_not_found``, "No such <thing>": the one way to say a record of that kind is not there."""
        return cls(f"{thing}_not_found", f"No such {thing}")


class Conflict(DomainError):
    """The current state forbids the operation (409): a taken slot, a wrong booking state."""

    default_code = "conflict"


class Gone(DomainError):
    """The thing existed but can no longer be used (410): an expired or used token."""

    default_code = "gone"


class PreconditionFailed(DomainError):
    """A precondition on the caller is unmet (e.g. email not verified) (403 with its own code)."""

    default_code = "precondition_failed"


class RateLimited(DomainError):
    """Too many attempts (429); ``retry_after`` is in whole seconds."""

    default_code = "rate_limited"

    def __init__(self, code: str | None = None, detail: str = "", *, retry_after: int = 60, **extra: Any) -> None:
        super().__init__(code, detail, **extra)
        self.retry_after = max(1, int(retry_after))


class ServiceUnavailable(DomainError):
    """An external system we depend on is down (503); nothing was changed."""

    default_code = "service_unavailable"
