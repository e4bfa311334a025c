"""The booking state machine table and the refund policy."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procus.domain.booking_states import TRANSITIONS, BookingAction, allowed_actions, transition
from procus.domain.bookings import ACTIVE_STATUSES, ActorRole, BookingStatus
from procus.domain.cancellation import FULL_REFUND_BPS, RefundPolicy, refund_share_bps
from procus.domain.errors import Conflict, InvalidInput, PermissionDenied

S, A, R = BookingStatus, BookingAction, ActorRole


@pytest.mark.parametrize(
    ("status", "action", "role", "target"),
    [
        (S.PENDING, A.ACCEPT, R.EXPERT, S.CONFIRMED),
        (S.PENDING, A.DECLINE, R.EXPERT, S.DECLINED),
        (S.CONFIRMED, A.PROPOSE_RESCHEDULE, R.EXPERT, S.RESCHEDULE_PROPOSED),
        (S.RESCHEDULE_PROPOSED, A.ACCEPT_RESCHEDULE, R.CLIENT, S.CONFIRMED),
        (S.RESCHEDULE_PROPOSED, A.DECLINE_RESCHEDULE, R.CLIENT, S.CANCELLED),
        (S.CONFIRMED, A.CANCEL, R.CLIENT, S.CANCELLED),
        (S.PENDING, A.CANCEL, R.ADMIN, S.CANCELLED),
        (S.PENDING, A.EXPIRE, R.SYSTEM, S.EXPIRED),
        (S.CONFIRMED, A.COMPLETE, R.SYSTEM, S.COMPLETED),
    ],
)
def test_allowed_transitions(
    status: BookingStatus, action: BookingAction, role: ActorRole, target: BookingStatus
) -> None:
    assert transition(status, action, role) is target


def test_an_action_nobody_may_take_now_is_a_conflict_naming_the_current_status() -> None:
    with pytest.raises(Conflict) as caught:
        transition(S.CONFIRMED, A.ACCEPT, R.EXPERT)
    assert caught.value.code == "booking_confirmed"
    assert caught.value.extra == {"current_status": "confirmed", "action": "accept"}
    with pytest.raises(Conflict) as cancelled:
        transition(S.CANCELLED, A.CANCEL, R.CLIENT)
    assert cancelled.value.code == "booking_cancelled"


def test_an_action_for_someone_else_is_forbidden_naming_the_actor() -> None:
    with pytest.raises(PermissionDenied) as caught:
        transition(S.PENDING, A.ACCEPT, R.CLIENT)
    assert caught.value.code == "client_cannot_accept"
    with pytest.raises(PermissionDenied):
        transition(S.RESCHEDULE_PROPOSED, A.ACCEPT_RESCHEDULE, R.EXPERT)


@given(st.sampled_from(S), st.sampled_from(A), st.sampled_from(R))
def test_every_triple_is_either_in_the_table_or_refused(
    status: BookingStatus, action: BookingAction, role: ActorRole
) -> None:
    if (status, action, role) in TRANSITIONS:
        assert transition(status, action, role) is TRANSITIONS[(status, action, role)]
    else:
        with pytest.raises((Conflict, PermissionDenied)):
            transition(status, action, role)


def test_closed_bookings_are_terminal_and_only_active_ones_move() -> None:
    for status, _, _ in TRANSITIONS:
        assert status in ACTIVE_STATUSES
    for status in set(S) - ACTIVE_STATUSES:
        for role in R:
            assert allowed_actions(status, role) == []


def test_allowed_actions_lists_what_the_ui_offers() -> None:
    assert allowed_actions(S.PENDING, R.EXPERT) == [A.ACCEPT, A.DECLINE, A.PROPOSE_RESCHEDULE, A.CANCEL]
    assert allowed_actions(S.RESCHEDULE_PROPOSED, R.CLIENT) == [A.ACCEPT_RESCHEDULE, A.DECLINE_RESCHEDULE, A.CANCEL]


_NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
_offsets = st.integers(min_value=-3 * 86_400, max_value=30 * 86_400).map(lambda s: dt.timedelta(seconds=s))
_policies = st.builds(
    RefundPolicy,
    late_window=st.integers(min_value=0, max_value=7 * 86_400).map(lambda s: dt.timedelta(seconds=s)),
    late_share_bps=st.integers(min_value=0, max_value=FULL_REFUND_BPS),
)


@given(st.sampled_from(R), _offsets, _policies, st.booleans())
def test_refund_share_is_a_share(role: ActorRole, offset: dt.timedelta, policy: RefundPolicy, confirmed: bool) -> None:
    share = refund_share_bps(role, _NOW + offset, _NOW, policy, confirmed=confirmed)
    assert share in (FULL_REFUND_BPS, policy.late_share_bps)


@given(st.sampled_from([R.EXPERT, R.ADMIN, R.SYSTEM]), _offsets, _policies)
def test_anyone_but_the_client_refunds_in_full(role: ActorRole, offset: dt.timedelta, policy: RefundPolicy) -> None:
    assert refund_share_bps(role, _NOW + offset, _NOW, policy) == FULL_REFUND_BPS


@given(_offsets, st.booleans())
def test_the_default_policy_always_refunds_in_full_before_the_call(offset: dt.timedelta, confirmed: bool) -> None:
    start = _NOW + abs(offset)
    assert refund_share_bps(R.CLIENT, start, _NOW, RefundPolicy(), confirmed=confirmed) == FULL_REFUND_BPS


@given(_offsets, _offsets, _policies)
def test_cancelling_later_never_refunds_more(first: dt.timedelta, second: dt.timedelta, policy: RefundPolicy) -> None:
    start = _NOW + dt.timedelta(days=10)
    early, late = sorted((_NOW + first, _NOW + second))
    assert refund_share_bps(R.CLIENT, start, late, policy) <= refund_share_bps(R.CLIENT, start, early, policy)


@given(_offsets, _policies)
def test_an_unconfirmed_request_is_withdrawn_with_a_full_refund(offset: dt.timedelta, policy: RefundPolicy) -> None:
    assert refund_share_bps(R.CLIENT, _NOW + offset, _NOW, policy, confirmed=False) == FULL_REFUND_BPS


def test_the_late_window_boundary() -> None:
    policy = RefundPolicy(late_window=dt.timedelta(hours=24), late_share_bps=5000)
    assert refund_share_bps(R.CLIENT, _NOW + dt.timedelta(hours=24), _NOW, policy) == FULL_REFUND_BPS
    assert refund_share_bps(R.CLIENT, _NOW + dt.timedelta(hours=24) - dt.timedelta(seconds=1), _NOW, policy) == 5000


def test_a_policy_must_make_sense() -> None:
    with pytest.raises(InvalidInput):
        RefundPolicy(late_share_bps=10_001)
    with pytest.raises(InvalidInput):
        RefundPolicy(late_window=dt.timedelta(seconds=-1))
