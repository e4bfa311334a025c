"""Presence from attendance events: order-independent, duplicate-proof, and the no-show rules."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procus.domain.attendance import (
    Attendance,
    AttendanceEvent,
    AttendanceKind,
    Interval,
    absence,
    attendance_of,
    first_together,
    from_webhook,
    no_show_outcome,
    observation,
    presence,
)
from procus.domain.calls import CallOutcome
from procus.domain.video import ParticipantInfo, VideoWebhookEvent

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
CLIENT, EXPERT = "client-1", "expert-1"


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def joined(identity: str, session: str, minute: float, event_id: str | None = None) -> AttendanceEvent:
    return AttendanceEvent(
        event_id=event_id or f"j-{session}",
        kind=AttendanceKind.JOINED,
        occurred_at=at(minute),
        identity=identity,
        session=session,
        joined_at=at(minute),
    )


def left(identity: str, session: str, minute: float, joined_minute: float | None = None) -> AttendanceEvent:
    return AttendanceEvent(
        event_id=f"l-{session}",
        kind=AttendanceKind.LEFT,
        occurred_at=at(minute),
        identity=identity,
        session=session,
        joined_at=at(joined_minute) if joined_minute is not None else None,
    )


def finished(minute: float) -> AttendanceEvent:
    return AttendanceEvent(event_id=f"f-{minute}", kind=AttendanceKind.ROOM_FINISHED, occurred_at=at(minute))


def spans(intervals: list[Interval]) -> list[tuple[float, float, bool]]:
    return [((i.start - T0).total_seconds() / 60, (i.end - T0).total_seconds() / 60, i.open) for i in intervals]


def test_joins_and_departures_become_intervals_per_person() -> None:
    events = [joined(CLIENT, "c1", 0), joined(EXPERT, "e1", 2), left(CLIENT, "c1", 30, 0), left(EXPERT, "e1", 31, 2)]
    people = presence(events, at(60))
    assert spans(people[CLIENT]) == [(0, 30, False)]
    assert spans(people[EXPERT]) == [(2, 31, False)]
    assert first_together(people[CLIENT], people[EXPERT]) == at(2)


def test_a_session_without_departure_is_open_until_the_horizon() -> None:
    people = presence([joined(CLIENT, "c1", 5)], at(12))
    assert spans(people[CLIENT]) == [(5, 12, True)]


def test_a_late_left_of_an_earlier_session_does_not_end_a_rejoin() -> None:
    """Arrival order: joined(s1), joined(s2), then the late left(s1): the person is still in the room."""
    events = [joined(CLIENT, "s1", 0), joined(CLIENT, "s2", 10), left(CLIENT, "s1", 9, 0)]
    assert spans(presence(events, at(20))[CLIENT]) == [(0, 9, False), (10, 20, True)]


def test_a_lost_join_is_recovered_from_the_departure_or_an_observation() -> None:
    only_left = [left(CLIENT, "s1", 25, joined_minute=3)]
    assert spans(presence(only_left, at(40))[CLIENT]) == [(3, 25, False)]
    seen = observation(ParticipantInfo(identity=EXPERT, name="E", joined_at=at(4), sid="e1"), at(6))
    assert spans(presence([seen], at(8))[EXPERT]) == [(4, 8, True)]


def test_room_finished_closes_open_sessions_but_not_later_ones() -> None:
    events = [joined(CLIENT, "s1", 0), finished(20), joined(CLIENT, "s2", 25)]
    assert spans(presence(events, at(30))[CLIENT]) == [(0, 20, False), (25, 30, True)]


def test_overlapping_sessions_of_one_person_are_counted_once() -> None:
    events = [joined(CLIENT, "phone", 0), joined(CLIENT, "laptop", 5), left(CLIENT, "phone", 10, 0)]
    attendance = attendance_of(events, client=CLIENT, expert=EXPERT, now=at(20), ended_at=None)
    assert spans(attendance.client) == [(0, 20, True)]
    assert attendance.client_seconds == 20 * 60
    assert attendance.expert == []
    assert attendance.started_at is None


def test_an_ended_call_is_measured_up_to_its_end() -> None:
    events = [joined(CLIENT, "c1", 0), joined(EXPERT, "e1", 1), left(CLIENT, "c1", 50, 0)]
    attendance = attendance_of(events, client=CLIENT, expert=EXPERT, now=at(90), ended_at=at(40))
    assert (attendance.client_seconds, attendance.expert_seconds) == (40 * 60, 39 * 60)
    assert attendance.started_at == at(1)


def test_people_who_never_overlap_have_not_started_the_call() -> None:
    events = [joined(CLIENT, "c1", 0), left(CLIENT, "c1", 4, 0), joined(EXPERT, "e1", 5)]
    assert attendance_of(events, client=CLIENT, expert=EXPERT, now=at(10), ended_at=None).started_at is None


def test_both_present_at_the_horizon_counts_even_at_the_same_instant() -> None:
    events = [joined(CLIENT, "c1", 0), joined(EXPERT, "e1", 3)]
    attendance = attendance_of(events, client=CLIENT, expert=EXPERT, now=at(3), ended_at=None)
    assert attendance.started_at == at(3)


def test_the_video_servers_clock_ahead_of_ours_does_not_hide_presence() -> None:
    events = [joined(CLIENT, "c1", 1), joined(EXPERT, "e1", 2)]
    attendance = attendance_of(events, client=CLIENT, expert=EXPERT, now=at(0), ended_at=None)
    assert attendance.started_at == at(2)


def test_absence_ends_sessions_the_server_no_longer_lists() -> None:
    events = [joined(CLIENT, "c1", 0), joined(EXPERT, "e1", 1), joined(EXPERT, "e2", 9), left(CLIENT, "gone", 3, 2)]
    facts = absence(events, connected={"e1"}, listed_at=at(8))
    assert [(f.identity, f.session, f.kind, f.occurred_at) for f in facts] == [
        (CLIENT, "c1", AttendanceKind.LEFT, at(8)),
    ], "e1 is listed, e2 joined after the listing, 'gone' already left"
    late_truth = left(CLIENT, "c1", 6, 0)
    assert spans(presence([*events, *facts, late_truth], at(10))[CLIENT]) == [(0, 6, False)]


def test_webhooks_map_to_attendance_facts() -> None:
    def hook(name: str, identity: str | None = "u1") -> VideoWebhookEvent:
        return VideoWebhookEvent(
            id="EV_1",
            event=name,
            room="booking-1",
            participant_identity=identity,
            created_at=at(1),
            participant_sid="PA_1" if identity else None,
            participant_joined_at=at(0) if identity else None,
        )

    fact = from_webhook(hook("participant_joined"))
    assert fact == AttendanceEvent(
        event_id="EV_1", kind=AttendanceKind.JOINED, occurred_at=at(1), identity="u1", session="PA_1", joined_at=at(0)
    )
    assert from_webhook(hook("participant_connection_aborted")).kind is AttendanceKind.LEFT  # type: ignore[union-attr]
    assert from_webhook(hook("room_finished", None)).kind is AttendanceKind.ROOM_FINISHED  # type: ignore[union-attr]
    assert from_webhook(hook("track_published")) is None
    assert from_webhook(hook("participant_joined", None)) is None


# --- order and duplicates never matter --------------------------------------------------------------------

_minutes = st.integers(min_value=0, max_value=120)


@st.composite
def _histories(draw: st.DrawFn) -> list[AttendanceEvent]:
    events: list[AttendanceEvent] = []
    for identity in (CLIENT, EXPERT):
        for number in range(draw(st.integers(0, 3))):
            session = f"{identity}-{number}"
            start = draw(_minutes)
            if draw(st.booleans()):
                events.append(joined(identity, session, start))
            if draw(st.booleans()):
                events.append(left(identity, session, start + draw(st.integers(0, 60)), start))
            if draw(st.booleans()):
                events.append(
                    observation(
                        ParticipantInfo(identity=identity, name="x", joined_at=at(start), sid=session), at(start + 1)
                    )
                )
    if draw(st.booleans()):
        events.append(finished(draw(_minutes)))
    return events


@given(history=_histories(), data=st.data())
def test_attendance_ignores_arrival_order_and_duplicates(history: list[AttendanceEvent], data: st.DataObject) -> None:
    delivered = data.draw(
        st.permutations(history + data.draw(st.lists(st.sampled_from(history), max_size=4)) if history else [])
    )
    expected = attendance_of(history, client=CLIENT, expert=EXPERT, now=at(200), ended_at=None)
    assert attendance_of(delivered, client=CLIENT, expert=EXPERT, now=at(200), ended_at=None) == expected
    for intervals in (expected.client, expected.expert):
        assert all(a.end < b.start for a, b in itertools.pairwise(intervals)), "merged and sorted"
        assert all(i.start <= i.end <= at(200) for i in intervals)


# --- no-shows ---------------------------------------------------------------------------------------------

DUE = at(15)


def _attendance(client: list[tuple[float, float]], expert: list[tuple[float, float]]) -> Attendance:
    def intervals(pairs: list[tuple[float, float]]) -> list[Interval]:
        return [Interval(at(a), at(b)) for a, b in pairs]

    c, e = intervals(client), intervals(expert)
    return Attendance(client=c, expert=e, started_at=first_together(c, e))


@pytest.mark.parametrize(
    ("client", "expert", "outcome"),
    [
        pytest.param([(0, 20)], [(1, 20)], None, id="they-met"),
        pytest.param([], [], CallOutcome.NO_SHOW_BOTH, id="nobody-came"),
        pytest.param([(0, 20)], [], CallOutcome.NO_SHOW_EXPERT, id="expert-absent"),
        pytest.param([(0, 14)], [(16, 20)], CallOutcome.NO_SHOW_EXPERT, id="expert-after-the-no-show-time"),
        pytest.param([(0, 20)], [(16, 20)], None, id="met-late-is-still-a-call"),
        pytest.param([], [(-5, 20)], CallOutcome.NO_SHOW_CLIENT, id="client-absent-expert-waited"),
        pytest.param([(0, 3)], [(5, 20)], CallOutcome.NO_SHOW_CLIENT, id="client-left-before-expert-came"),
        pytest.param([(12, 20)], [(0, 10)], CallOutcome.NO_SHOW_EXPERT, id="expert-gave-up-before-the-client-came"),
        pytest.param([(0, 2)], [(5, 8)], CallOutcome.NO_SHOW_BOTH, id="both-came-and-went-apart"),
    ],
)
def test_no_show_outcomes(
    client: list[tuple[float, float]], expert: list[tuple[float, float]], outcome: CallOutcome | None
) -> None:
    assert no_show_outcome(_attendance(client, expert), DUE) is outcome


def test_outcomes_pay_the_expert_only_when_the_call_happened_or_the_client_stayed_away() -> None:
    assert {o for o in CallOutcome if o.pays_expert} == {CallOutcome.COMPLETED, CallOutcome.NO_SHOW_CLIENT}
