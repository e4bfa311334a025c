"""The one cursor format: a struct as unpadded base64url JSON, refused unless it decodes to that struct."""

from __future__ import annotations

import base64
import datetime as dt
import uuid

import msgspec
import pytest

from procus.domain.cursors import TimeCursor, check_limit, decode_cursor, encode_cursor
from procus.domain.errors import InvalidInput
from procus.domain.notifications import InboxCursor


class _Position(msgspec.Struct, frozen=True, array_like=True):
    starts_at: dt.datetime
    booking_id: uuid.UUID


class _Negative(msgspec.Struct, frozen=True, array_like=True):
    unread: bool
    seq: int


def test_a_time_cursor_is_the_same_token_as_a_time_and_uuid_pair() -> None:
    """Earnings pages once issued ``[starts_at, booking_id]`` tokens of their own; they still read as TimeCursors."""
    at = dt.datetime(2026, 12, 6, 4, 30, 15, 123456, tzinfo=dt.UTC)
    booking_id = uuid.uuid4()
    token = encode_cursor(_Position(at, booking_id))

    assert token == TimeCursor(at=at, id=str(booking_id)).encode()
    assert TimeCursor.decode(token).uuid_id() == booking_id
    assert "=" not in token
    assert msgspec.json.decode(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) == [
        "2026-12-06T04:30:15.123456Z",
        str(booking_id),
    ]


_CUT_SHORT = encode_cursor(_Position(dt.datetime(2026, 12, 6, tzinfo=dt.UTC), uuid.UUID(int=1)))[:-3]


@pytest.mark.parametrize(
    "token", ["", "%%%", "bm90IGpzb24", _CUT_SHORT], ids=["empty", "not-base64", "not-json", "cut-short"]
)
def test_tokens_this_api_did_not_issue_are_refused(token: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decode_cursor(token, TimeCursor)
    assert refused.value.code == "invalid_cursor"
    assert refused.value.field == "cursor"


@pytest.mark.parametrize("limit", [0, -1, 101])
def test_page_sizes_outside_the_range_are_refused(limit: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_limit(limit, 100)
    assert refused.value.code == "invalid_limit"
    assert refused.value.detail == "limit must be within 1..100"


def test_page_sizes_within_the_range_pass() -> None:
    check_limit(1, 100)
    check_limit(100, 100)


def test_the_inbox_cursor_is_one_of_these_tokens_too() -> None:
    position = InboxCursor(unread=True, seq=42)

    assert InboxCursor.decode(position.encode()) == position
    assert decode_cursor(position.encode(), InboxCursor) == position


@pytest.mark.parametrize("token", [encode_cursor(_Negative(True, -1)), "dTQy"], ids=["negative-seq", "old-format"])
def test_inbox_cursors_it_did_not_issue_are_refused(token: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        InboxCursor.decode(token)
    assert refused.value.code == "invalid_cursor"
