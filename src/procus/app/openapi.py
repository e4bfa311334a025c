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

_PATCH = frozenset({422})
_DECLARED: dict[str, frozenset[int]] = {
    "register": frozenset({422}),
    "login": frozenset({401, 403, 422}),
    "googleSignIn": frozenset({401, 403, 422, 503}),
    "refresh": frozenset({401, 403}),
    "logout": frozenset({401, 403}),
    "requestPasswordReset": frozenset({422}),
    "confirmPasswordReset": frozenset({410, 422}),
    "verifyEmail": frozenset({409, 410}),
    "resendVerification": frozenset({409}),
    "updateMe": _PATCH,
    "suspendUser": frozenset({422}),
    "putMyAvatar": frozenset({413, 422, 503}),
    "deleteMyAvatar": frozenset({503}),
    "listExperts": _PATCH,
    "listExpertSlots": frozenset({409, 422}),
    "createMyArea": frozenset({409, 422}),
    "updateMyArea": frozenset({409, 422}),
    "updateMyExpertProfile": frozenset({409, 422}),
    "replaceMyAvailability": _PATCH,
    "decideExpertApproval": frozenset({409, 422}),
    "createBooking": frozenset({404, 409, 422, 503}),
    "listBookings": _PATCH,
    "acceptBooking": frozenset({409, 422, 503}),
    "declineBooking": frozenset({409, 422}),
    "cancelBooking": frozenset({409, 422, 503}),
    "proposeReschedule": frozenset({409, 422}),
    "acceptReschedule": frozenset({409, 422}),
    "declineReschedule": frozenset({409, 422}),
    "createCallToken": frozenset({409, 503}),
    "endCall": frozenset({409, 503}),
    "putCallNotes": frozenset({409, 422}),
    "listNotifications": _PATCH,
    "streamNotifications": frozenset({401, 422, 503}),
    "receivePaystackWebhook": frozenset({401, 413, 422}),
    "receiveLiveKitWebhook": frozenset({401, 413, 422}),
    "verifyPayment": frozenset({409, 503}),
    "setPayoutAccount": frozenset({422, 503}),
    "listPayoutBanks": frozenset({422, 503}),
    "requestPayout": frozenset({409, 422, 503}),
    "requeueRefund": frozenset({409}),
    # the expert's workspace
    "startExpertProfile": frozenset({409, 422}),
    "listMySlots": frozenset({404, 422}),
    "checkMySlot": frozenset({404, 422}),
    "resolvePayoutAccountName": frozenset({422, 503}),
    "listEarnings": _PATCH,
    # trust and operations (404 declared where the path parameter sits on the controller's path)
    "createReview": frozenset({404, 409, 422}),
    "getBookingReview": frozenset({404}),
    "getBookingDispute": frozenset({404}),
    "updateReview": frozenset({409, 422}),
    "replyToReview": frozenset({409, 422}),
    "listExpertReviews": frozenset({404, 422}),
    "hideReview": frozenset({409, 422}),
    "addFavorite": _PATCH,
    "blockUser": frozenset({409, 422}),
    "createCalendarFeed": frozenset(),
    "openDispute": frozenset({404, 409, 422}),
    "confirmCallWentWell": frozenset({404, 409}),
    "listAdminAudit": _PATCH,
    "listUsers": _PATCH,
    "reactivateUser": _PATCH,
    "changeUserRole": frozenset({409, 422}),
    "resendUserVerification": frozenset({409}),
    "listExpertApprovalQueue": _PATCH,
    "unpublishExpert": frozenset({409, 422}),
    "listBookingsForAdmin": _PATCH,
    "forceCancelBooking": frozenset({409, 422}),
    "refundCompletedBooking": frozenset({409, 422}),
    "listPaymentsForAdmin": _PATCH,
    "listRefundsForAdmin": _PATCH,
    "listPayoutsForAdmin": _PATCH,
    "holdPayout": frozenset({409, 422}),
    "releasePayout": frozenset({409, 422}),
    "getPlatformRevenue": _PATCH,
    "getPlatformStats": _PATCH,
    "resolveDispute": frozenset({409, 422}),
    "listMyPayments": _PATCH,
    "getPaymentReceipt": frozenset({409}),
    "getEarningsStatement": _PATCH,
    "checkoutAgain": frozenset({404, 409, 503}),
}
"""Statuses only the service behind an operation knows it can answer (its 409s, 410s, 422s, 503s)."""

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
