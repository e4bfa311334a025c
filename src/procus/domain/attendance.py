"""Who was in a call's room, and when, from what the video server told us.

The server reports joins and departures by webhook: at least once, in no particular order, and
rarely not at all. So presence is never a running state updated as events arrive; it is recomputed
from the whole set of events, whatever order they came in:

* every connection of a participant is a *session* (the server's participant sid). A session starts
  at the join time the server reports with any event about it, and ends at its earliest ``left``;
* a session with no ``left`` yet ends at the first ``room_finished`` after its start, or is still
  open (until the horizon: now, or when the call was ended);
* ``present`` observations come from asking the server who is connected (the reconcile job); they
  start a session whose ``joined`` webhook was lost, and keep it open at least until observed.

Times come from the video server (``created_at`` has whole seconds) and from our clock; a session
whose end would fall before its start is taken as an instant.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable

import msgspec

from procus.domain.calls import CallOutcome
from procus.domain.video import ParticipantInfo, VideoWebhookEvent

__all__ = [
    "Attendance",
    "AttendanceEvent",
    "AttendanceKind",
    "Interval",
    "absence",
    "attendance_of",
    "first_together",
    "from_webhook",
    "no_show_outcome",
    "observation",
    "presence",
]


class AttendanceKind(enum.StrEnum):
    JOINED = "joined"
    LEFT = "left"
    PRESENT = "present"
    ROOM_FINISHED = "room_finished"


class AttendanceEvent(msgspec.Struct, frozen=True, kw_only=True):
    event_id: str
    kind: AttendanceKind
    occurred_at: dt.datetime
    """When the server created the event, or when we observed the room."""
    identity: str | None = None
    """The participant (our user id); None for ``room_finished``."""
    session: str | None = None
    """The server's id of this connection (participant sid)."""
    joined_at: dt.datetime | None = None
    """When the session started, as the server reports it."""


class Interval(msgspec.Struct, frozen=True):
    start: dt.datetime
    end: dt.datetime
    open: bool = False
    """Still going at the horizon: ``end`` is the horizon, not a departure."""

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


class Attendance(msgspec.Struct, frozen=True, kw_only=True):
    client: list[Interval]
    expert: list[Interval]
    started_at: dt.datetime | None
    """The first instant both were in the room."""

    @property
    def client_seconds(self) -> int:
        return int(sum(interval.seconds for interval in self.client))

    @property
    def expert_seconds(self) -> int:
        return int(sum(interval.seconds for interval in self.expert))


_WEBHOOK_KINDS = {
    "participant_joined": AttendanceKind.JOINED,
    "participant_left": AttendanceKind.LEFT,
    "participant_connection_aborted": AttendanceKind.LEFT,
    "room_finished": AttendanceKind.ROOM_FINISHED,
}


def from_webhook(event: VideoWebhookEvent) -> AttendanceEvent | None:
    """The attendance fact in a webhook; None for events that say nothing about who is in the room."""
    kind = _WEBHOOK_KINDS.get(event.event)
    if kind is None or not event.id or (kind is not AttendanceKind.ROOM_FINISHED and not event.participant_identity):
        return None
    return AttendanceEvent(
        event_id=event.id,
        kind=kind,
        occurred_at=event.created_at,
        identity=event.participant_identity if kind is not AttendanceKind.ROOM_FINISHED else None,
        session=event.participant_sid,
        joined_at=event.participant_joined_at,
    )


def observation(participant: ParticipantInfo, observed_at: dt.datetime) -> AttendanceEvent:
    """``participant`` was connected when we asked the server; one fact per session and minute."""
    return AttendanceEvent(
        event_id=f"present:{participant.sid or participant.identity}:{observed_at:%Y%m%dT%H%M}",
        kind=AttendanceKind.PRESENT,
        occurred_at=observed_at,
        identity=participant.identity,
        session=participant.sid or None,
        joined_at=participant.joined_at,
    )


def absence(events: Iterable[AttendanceEvent], connected: set[str], listed_at: dt.datetime) -> list[AttendanceEvent]:
    """Sessions we believe open that the server no longer lists: they ended by ``listed_at``.

    Only sessions that started before the listing count (a join racing the listing is not a
    departure); a late ``left`` webhook with the true time wins, since a session ends at its
    earliest ``left``.
    """
    events = list(events)
    finished = {(e.identity, e.session) for e in events if e.kind is AttendanceKind.LEFT}
    found: dict[tuple[str, str], AttendanceEvent] = {}
    for event in events:
        if event.kind is AttendanceKind.LEFT or event.identity is None or not event.session:
            continue
        started = event.joined_at or event.occurred_at
        key = (event.identity, event.session)
        if key in finished or event.session in connected or started >= listed_at or key in found:
            continue
        found[key] = AttendanceEvent(
            event_id=f"absent:{event.session}",
            kind=AttendanceKind.LEFT,
            occurred_at=listed_at,
            identity=event.identity,
            session=event.session,
            joined_at=event.joined_at,
        )
    return list(found.values())


def presence(events: Iterable[AttendanceEvent], horizon: dt.datetime) -> dict[str, list[Interval]]:
    """Each participant's time in the room, as sorted, non-overlapping intervals ending by ``horizon``."""
    finishes: list[dt.datetime] = []
    sessions: defaultdict[tuple[str, str], list[AttendanceEvent]] = defaultdict(list)
    for event in events:
        if event.kind is AttendanceKind.ROOM_FINISHED:
            finishes.append(event.occurred_at)
        elif event.identity:
            sessions[(event.identity, event.session or "")].append(event)
    finishes.sort()
    found: defaultdict[str, list[Interval]] = defaultdict(list)
    for (identity, _), group in sessions.items():
        interval = _session(group, finishes, horizon)
        if interval is not None:
            found[identity].append(interval)
    return {identity: _merge(intervals) for identity, intervals in found.items()}


def _session(group: list[AttendanceEvent], finishes: list[dt.datetime], horizon: dt.datetime) -> Interval | None:
    starts = [
        event.joined_at or event.occurred_at
        for event in group
        if event.kind in (AttendanceKind.JOINED, AttendanceKind.PRESENT) or event.joined_at is not None
    ]
    if not starts:
        return None
    start = min(starts)
    if start > horizon:
        return None
    ends = [event.occurred_at for event in group if event.kind is AttendanceKind.LEFT]
    ends += [finish for finish in finishes if finish >= start][:1]
    seen = max((event.occurred_at for event in group if event.kind is AttendanceKind.PRESENT), default=start)
    end = max(min(ends), seen) if ends else horizon
    end = min(end, horizon)
    return Interval(start, end, open=not ends)


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for interval in sorted(intervals, key=lambda i: (i.start, i.end)):
        if merged and interval.start <= merged[-1].end:
            last = merged[-1]
            if interval.end > last.end or (interval.end == last.end and interval.open):
                merged[-1] = Interval(last.start, interval.end, open=interval.open)
        else:
            merged.append(interval)
    return merged


def first_together(a: list[Interval], b: list[Interval]) -> dt.datetime | None:
    """The first instant both were present: a real overlap, or both still there at the horizon."""
    found: dt.datetime | None = None
    for x in a:
        for y in b:
            start, end = max(x.start, y.start), min(x.end, y.end)
            if start < end or (start == end and x.open and y.open):
                found = start if found is None else min(found, start)
    return found


def attendance_of(
    events: Iterable[AttendanceEvent], *, client: str, expert: str, now: dt.datetime, ended_at: dt.datetime | None
) -> Attendance:
    """Presence of the call's two parties. A live call's horizon is ``now``, or the latest event's
    time if the video server's clock runs ahead of ours; an ended call's is when it ended."""
    events = list(events)
    if ended_at is not None:
        horizon = ended_at
    else:
        latest = [e.occurred_at for e in events] + [e.joined_at for e in events if e.joined_at is not None]
        horizon = max([now, *latest])
    people = presence(events, horizon)
    client_time, expert_time = people.get(client, []), people.get(expert, [])
    return Attendance(client=client_time, expert=expert_time, started_at=first_together(client_time, expert_time))


def _came_by(intervals: list[Interval], instant: dt.datetime) -> bool:
    return any(interval.start <= instant for interval in intervals)


def _there_at(intervals: list[Interval], instant: dt.datetime) -> bool:
    return any(interval.start <= instant <= interval.end for interval in intervals)


def no_show_outcome(attendance: Attendance, due_at: dt.datetime) -> CallOutcome | None:
    """Who failed to come, judged at ``due_at``; None when the two met (the call is happening).

    Whoever had not appeared by ``due_at`` is absent. If both had appeared but never at the same
    time, the one still waiting at ``due_at`` was let down by the other; if neither was there then,
    nobody is owed anything.
    """
    if attendance.started_at is not None:
        return None
    client_came, expert_came = _came_by(attendance.client, due_at), _came_by(attendance.expert, due_at)
    if not client_came and not expert_came:
        return CallOutcome.NO_SHOW_BOTH
    if not expert_came:
        return CallOutcome.NO_SHOW_EXPERT
    if not client_came:
        return CallOutcome.NO_SHOW_CLIENT
    expert_waiting, client_waiting = _there_at(attendance.expert, due_at), _there_at(attendance.client, due_at)
    if expert_waiting and not client_waiting:
        return CallOutcome.NO_SHOW_CLIENT
    if client_waiting and not expert_waiting:
        return CallOutcome.NO_SHOW_EXPERT
    return CallOutcome.NO_SHOW_BOTH
