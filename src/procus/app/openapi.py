"""The OpenAPI document's error contract: problem+json responses per operation and how callers sign in.

Litestar documents only a generic ``application/json`` 400. Every error this API sends is an RFC 9457
``application/problem+json`` body (``procus.app.problems``), and the web app's generated client types
its errors from this document, so each operation lists the statuses it can really answer:

- derived from the handler: 400 when it takes parameters or a body (malformed or invalid input),
  401 and 403 when it needs a signed-in caller (403 also for a suspended account or a missing role),
  404 when its path names a resource, 429 everywhere (the per-address rate limit covers every route);
- declared below for what only the service knows: 409 (state conflicts), 410, 422 (rule breaks), 503
  (an outside system is down).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Reference,
    Schema,
    SecurityScheme,
)

from procus.app.problems import PROBLEM_JSON

__all__ = ["BEARER", "document_errors", "operation_problem_statuses"]

BEARER = "bearerAuth"
_REFRESH_COOKIE = "refreshCookie"
_PAYSTACK_SIGNATURE = "paystackSignature"
_LIVEKIT_SIGNATURE = "livekitSignature"

_SIGNED_IN = frozenset({"principal", "expert", "admin", "admin_actor"})
_PROBLEM_DESCRIPTIONS = {
    400: "The request could not be parsed or does not match the schema (`validation_failed`, `malformed_body`).",
    401: "Not signed in, or the credentials are invalid or expired.",
    403: "Signed in but not allowed: a missing role, a suspended account, an unverified email, or not a party to it.",
    404: "No such resource, or one the caller may not know exists.",
    409: "The resource's current state forbids this (e.g. a taken slot, a booking in the wrong state).",
    410: "The link or token existed but can no longer be used.",
    413: "The request body is too large.",
    422: "The request is well-formed but breaks a business rule; `code` says which and `errors` names the field.",
    429: "Too many requests; retry after the `Retry-After` header's seconds.",
    503: "An outside system this needs is unavailable; nothing was changed. Retry later.",
}

_DECLARED_BY_STATUSES: dict[tuple[int, ...], tuple[str, ...]] = {
    (): ("createCalendarFeed",),
    (401, 403): ("refresh", "logout"),
    (401, 403, 422): ("login",),
    (401, 403, 422, 503): ("googleSignIn",),
    (401, 413, 422): ("receivePaystackWebhook", "receiveLiveKitWebhook"),
    (401, 422, 503): ("streamNotifications",),
    # 404 declared where the path parameter sits on the controller's path
    (404,): ("getBookingReview", "getBookingDispute"),
    (404, 409): ("confirmCallWentWell",),
    (404, 409, 422): ("createReview", "openDispute"),
    (404, 409, 422, 503): ("createBooking",),
    (404, 409, 503): ("checkoutAgain",),
    (404, 422): ("listMySlots", "checkMySlot", "listExpertReviews"),
    (409,): ("resendVerification", "requeueRefund", "resendUserVerification", "getPaymentReceipt"),
    (409, 410): ("verifyEmail",),
    (409, 422): (
        "listExpertSlots",
        "startExpertProfile",
        "createMyArea",
        "updateMyArea",
        "updateMyExpertProfile",
        "decideExpertApproval",
        "unpublishExpert",
        "declineBooking",
        "proposeReschedule",
        "acceptReschedule",
        "declineReschedule",
        "forceCancelBooking",
        "putCallNotes",
        "updateReview",
        "replyToReview",
        "hideReview",
        "blockUser",
        "resolveDispute",
        "changeUserRole",
        "refundCompletedBooking",
        "holdPayout",
        "releasePayout",
    ),
    (409, 422, 503): ("acceptBooking", "cancelBooking", "requestPayout"),
    (409, 503): ("createCallToken", "endCall", "verifyPayment"),
    (410, 422): ("confirmPasswordReset",),
    (404, 422, 503): ("putMyAvatar",),
    # a rule on a field, such as a list's page size or a range's bounds
    (422,): (
        "register",
        "requestPasswordReset",
        "updateMe",
        "suspendUser",
        "reactivateUser",
        "listExperts",
        "replaceMyAvailability",
        "listBookings",
        "listNotifications",
        "addFavorite",
        "listEarnings",
        "getEarningsStatement",
        "listMyPayments",
        "listAdminAudit",
        "listUsers",
        "listExpertApprovalQueue",
        "listBookingsForAdmin",
        "listPaymentsForAdmin",
        "listRefundsForAdmin",
        "listPayoutsForAdmin",
        "getPlatformRevenue",
        "getPlatformStats",
    ),
    (422, 503): ("startMyAvatarUpload", "setPayoutAccount", "listPayoutBanks", "resolvePayoutAccountName"),
    (503,): ("deleteMyAvatar",),
}
"""Statuses only the service behind an operation knows it can answer (its 409s, 410s, 422s, 503s), and the
operations that answer exactly those; an operation stands in one row at most."""


def _by_operation(table: Mapping[tuple[int, ...], tuple[str, ...]]) -> dict[str, frozenset[int]]:
    found: dict[str, frozenset[int]] = {}
    for statuses, operations in table.items():
        for operation_id in operations:
            if operation_id in found:
                raise ValueError(f"{operation_id} is declared twice: {sorted(found[operation_id])} and {statuses}")
            found[operation_id] = frozenset(statuses)
    return found


_DECLARED = _by_operation(_DECLARED_BY_STATUSES)

_SECURITY_BY_OPERATION: dict[str, list[dict[str, list[str]]]] = {
    "refresh": [{_REFRESH_COOKIE: []}, {}],
    "logout": [{_REFRESH_COOKIE: []}, {BEARER: []}, {}],
    "receivePaystackWebhook": [{_PAYSTACK_SIGNATURE: []}],
    "receiveLiveKitWebhook": [{_LIVEKIT_SIGNATURE: []}],
}


def _security_schemes() -> dict[str, SecurityScheme | Reference]:
    return {
        BEARER: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="The access token from login, refresh or Google sign-in: `Authorization: Bearer <token>`.",
        ),
        _REFRESH_COOKIE: SecurityScheme(
            type="apiKey",
            name="procus_refresh",
            security_scheme_in="cookie",
            description="The HTTP-only refresh cookie set at sign-in (path /v1/auth).",
        ),
        _PAYSTACK_SIGNATURE: SecurityScheme(
            type="apiKey",
            name="x-paystack-signature",
            security_scheme_in="header",
            description="Hex HMAC-SHA512 of the raw body keyed with the Paystack secret key.",
        ),
        _LIVEKIT_SIGNATURE: SecurityScheme(
            type="apiKey",
            name="Authorization",
            security_scheme_in="header",
            description="LiveKit's signed JWT carrying the body's SHA-256.",
        ),
    }


def _problem_schema() -> Schema:
    string = Schema(type=OpenAPIType.STRING)
    field_error = Schema(
        type=OpenAPIType.OBJECT,
        required=["message"],
        properties={
            "field": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL], description="Dotted path of the culprit."),
            "source": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL]),
            "message": string,
        },
    )
    return Schema(
        type=OpenAPIType.OBJECT,
        title="Problem",
        description="An RFC 9457 problem. `code` is stable and machine-readable; `detail` is for people.",
        required=["type", "title", "status", "detail", "code", "instance"],
        properties={
            "type": Schema(type=OpenAPIType.STRING, description="`urn:procus:problem:<code>`"),
            "title": string,
            "status": Schema(type=OpenAPIType.INTEGER),
            "detail": string,
            "code": Schema(type=OpenAPIType.STRING, description="Stable snake_case error code."),
            "instance": string,
            "request_id": Schema(type=[OpenAPIType.STRING, OpenAPIType.NULL]),
            "errors": Schema(type=OpenAPIType.ARRAY, items=field_error),
        },
        additional_properties=True,
    )


def _problem_response(status: int) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=_PROBLEM_DESCRIPTIONS[status],
        content={PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))},
    )


def _dependencies(handler: HTTPRouteHandler) -> set[str]:
    return set(handler.parsed_fn_signature.parameters)


def operation_problem_statuses(operation_id: str, handler: HTTPRouteHandler, *, takes_input: bool) -> set[int]:
    """Every error status ``operation_id`` can answer (see the module docstring for where each comes from)."""
    statuses = {429} | set(_DECLARED.get(operation_id, ()))
    if takes_input:
        statuses.add(400)
    if _dependencies(handler) & _SIGNED_IN:
        statuses |= {401, 403}
    if "{" in next(iter(handler.paths), ""):
        statuses.add(404)
    return statuses


def _operations(openapi: OpenAPI) -> Iterable[Any]:
    for path_item in (openapi.paths or {}).values():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = getattr(path_item, method, None)
            if operation is not None:
                yield operation


def _handlers_by_operation(app: Litestar) -> Mapping[str, HTTPRouteHandler]:
    found: dict[str, HTTPRouteHandler] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and isinstance(handler.operation_id, str):
                found[handler.operation_id] = handler
    return found


def _security_for(operation_id: str, handler: HTTPRouteHandler) -> list[dict[str, list[str]]] | None:
    if operation_id in _SECURITY_BY_OPERATION:
        return _SECURITY_BY_OPERATION[operation_id]
    deps = _dependencies(handler)
    if deps & _SIGNED_IN:
        return [{BEARER: []}]
    if "optional_principal" in deps:
        return [{BEARER: []}, {}]
    return None


def _document(app: Litestar, openapi: OpenAPI) -> OpenAPI:
    handlers = _handlers_by_operation(app)
    components = openapi.components or Components()
    components.schemas = {**(components.schemas or {}), "Problem": _problem_schema()}
    components.security_schemes = {**(components.security_schemes or {}), **_security_schemes()}
    openapi.components = components
    for operation in _operations(openapi):
        handler = handlers.get(operation.operation_id)
        if handler is None:
            continue
        takes_input = bool(operation.parameters or operation.request_body)
        responses = dict(operation.responses or {})
        responses.pop("400", None)  # Litestar's generic application/json one
        if "204" in responses and isinstance(responses["204"], OpenAPIResponse):
            responses["204"].content = None  # no body, so no media type
        for status in sorted(operation_problem_statuses(operation.operation_id, handler, takes_input=takes_input)):
            responses[str(status)] = _problem_response(status)
        operation.responses = responses
        operation.security = _security_for(operation.operation_id, handler)
    return openapi


class _DocumentedOpenAPIPlugin(OpenAPIPlugin):
    """Litestar's OpenAPI plugin, whose one build step also documents errors and security."""

    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        return _document(self.app, super()._build_openapi())


def document_errors(app: Litestar) -> None:
    """Make ``app``'s OpenAPI document list each operation's problem+json errors and security.

    Litestar creates its OpenAPI plugin itself and builds the document lazily, on the first request
    for ``/schema``; giving that plugin our build step keeps it lazy (tests build an app per test)
    while ``/schema/openapi.json``, the rendered docs and ``app.openapi_schema`` all serve the result.
    """
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin.__class__ = _DocumentedOpenAPIPlugin
