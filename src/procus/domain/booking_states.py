"""The booking state machine: one table of who may do what from which status.

Every change of a booking's status goes through :func:`transition`. An action no one may take from
the current status is a 409 whose code names that status (``booking_confirmed``,
``booking_cancelled`` ...); an action allowed from the status, but for someone else, is a 403 naming
the actor (``client_cannot_accept``).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from procus.domain.bookings import ActorRole, BookingStatus
from procus.domain.errors import Conflict, PermissionDenied

__all__ = ["NOT_ON_THE_BOOKING", "OPENINGS", "TRANSITIONS", "BookingAction", "allowed_actions", "transition"]


class BookingAction(enum.StrEnum):
    REQUEST = "request"
    ACCEPT = "accept"
    DECLINE = "decline"
    PROPOSE_RESCHEDULE = "propose_reschedule"
    ACCEPT_RESCHEDULE = "accept_reschedule"
    DECLINE_RESCHEDULE = "decline_reschedule"
    CANCEL = "cancel"
    EXPIRE = "expire"
    COMPLETE = "complete"
    MARK_NO_SHOW_CLIENT = "mark_no_show_client"
    MARK_NO_SHOW_EXPERT = "mark_no_show_expert"
    MARK_NO_SHOW_BOTH = "mark_no_show_both"


_S = BookingStatus
_A = BookingAction
_R = ActorRole

TRANSITIONS: Mapping[tuple[BookingStatus, BookingAction, ActorRole], BookingStatus] = {
    (_S.PENDING, _A.ACCEPT, _R.EXPERT): _S.CONFIRMED,
    (_S.PENDING, _A.DECLINE, _R.EXPERT): _S.DECLINED,
    (_S.PENDING, _A.PROPOSE_RESCHEDULE, _R.EXPERT): _S.RESCHEDULE_PROPOSED,
    (_S.CONFIRMED, _A.PROPOSE_RESCHEDULE, _R.EXPERT): _S.RESCHEDULE_PROPOSED,
    (_S.RESCHEDULE_PROPOSED, _A.PROPOSE_RESCHEDULE, _R.EXPERT): _S.RESCHEDULE_PROPOSED,
    (_S.RESCHEDULE_PROPOSED, _A.ACCEPT_RESCHEDULE, _R.CLIENT): _S.CONFIRMED,
    (_S.RESCHEDULE_PROPOSED, _A.DECLINE_RESCHEDULE, _R.CLIENT): _S.CANCELLED,
    **{
        (status, _A.CANCEL, role): _S.CANCELLED
        for status in (_S.PENDING, _S.CONFIRMED, _S.RESCHEDULE_PROPOSED)
        for role in (_R.CLIENT, _R.EXPERT, _R.ADMIN)
    },
    (_S.PENDING, _A.EXPIRE, _R.SYSTEM): _S.EXPIRED,
    (_S.RESCHEDULE_PROPOSED, _A.EXPIRE, _R.SYSTEM): _S.EXPIRED,
    (_S.CONFIRMED, _A.COMPLETE, _R.SYSTEM): _S.COMPLETED,
    (_S.CONFIRMED, _A.COMPLETE, _R.ADMIN): _S.COMPLETED,
    (_S.CONFIRMED, _A.COMPLETE, _R.CLIENT): _S.COMPLETED,
    (_S.CONFIRMED, _A.COMPLETE, _R.EXPERT): _S.COMPLETED,
    (_S.CONFIRMED, _A.MARK_NO_SHOW_CLIENT, _R.SYSTEM): _S.NO_SHOW_CLIENT,
    (_S.CONFIRMED, _A.MARK_NO_SHOW_EXPERT, _R.SYSTEM): _S.NO_SHOW_EXPERT,
    (_S.CONFIRMED, _A.MARK_NO_SHOW_BOTH, _R.SYSTEM): _S.NO_SHOW_BOTH,
}

OPENINGS: Mapping[tuple[BookingAction, ActorRole], BookingStatus] = {
    (_A.REQUEST, _R.CLIENT): _S.PENDING,
}
"""How a booking comes to exist: the status a new booking starts in, by who opens it."""

_FROM_STATUS: Mapping[tuple[BookingStatus, BookingAction], frozenset[ActorRole]] = {
    (status, action): frozenset(role for (s, a, role) in TRANSITIONS if (s, a) == (status, action))
    for (status, action, _) in TRANSITIONS
}


def transition(status: BookingStatus | None, action: BookingAction, role: ActorRole) -> BookingStatus:
    """The status ``action`` by ``role`` leads to from ``status`` (None: a booking not made yet), or
    the error that forbids it."""
    if status is None:
        return _opening(action, role)
    target = TRANSITIONS.get((status, action, role))
    if target is not None:
        return target
    if (status, action) in _FROM_STATUS:
        raise PermissionDenied(
            f"{role.value}_cannot_{action.value}",
            f"The {role.value} cannot {action.value.replace('_', ' ')} this booking",
            current_status=status.value,
            action=action.value,
        )
    raise Conflict(
        f"booking_{status.value}",
        f"The booking is {status.value.replace('_', ' ')}; it cannot {action.value.replace('_', ' ')} now",
        current_status=status.value,
        action=action.value,
    )


def _opening(action: BookingAction, role: ActorRole) -> BookingStatus:
    target = OPENINGS.get((action, role))
    if target is None:
        raise PermissionDenied(
            f"{role.value}_cannot_{action.value}",
            f"The {role.value} cannot {action.value.replace('_', ' ')} a new booking",
            action=action.value,
        )
    return target


NOT_ON_THE_BOOKING = frozenset({BookingAction.COMPLETE})
"""Actions people take elsewhere: a call is completed by ending it (``POST /v1/calls/{id}/end``)."""


def allowed_actions(status: BookingStatus, role: ActorRole) -> list[BookingAction]:
    """What ``role`` may do next to the booking itself, in the table's order (for the UI's buttons)."""
    return [action for (s, action, r) in TRANSITIONS if s == status and r == role and action not in NOT_ON_THE_BOOKING]
