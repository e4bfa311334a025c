"""The keyset paging every list uses: each row exactly once, in order, across ties in time."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from procus.domain.cursors import TimeCursor, paginate
from procus.domain.errors import InvalidInput
from procus.store.db import Database
from procus.store.keyset import Keyset

# Ten rows over four instants (three share each of the first three), ids uuid or bigint.
_ROWS = """
SELECT t.at, t.id FROM (
    SELECT timestamptz '2026-12-01 00:00Z' + (n / 3) * interval '1 minute' AS at, {id} AS id
    FROM generate_series(0, 9) n
) t
WHERE TRUE
"""


def _rows(keyset: Keyset) -> str:
    return _ROWS.format(id="n::bigint" if keyset.id_type == "bigint" else "md5(n::text)::uuid")


async def _walk(db: Database, keyset: Keyset, limit: int) -> list[tuple[dt.datetime, object]]:
    """Every row, a page of ``limit`` at a time, following each page's cursor."""
    seen: list[tuple[dt.datetime, object]] = []
    cursor: str | None = None
    async with db.connection() as conn:
        while True:
            after = TimeCursor.decode_optional(cursor)
            found = [
                (row["at"], row["id"])
                for row in await conn.fetch(f"{_rows(keyset)} {keyset.page(1)}", *keyset.args(after), limit + 1)
            ]
            page, cursor = paginate(found, limit, lambda row: row)
            seen += page
            if cursor is None:
                return seen


@pytest.mark.parametrize("id_type", ["uuid", "bigint"])
@pytest.mark.parametrize("newest_first", [True, False])
@pytest.mark.parametrize("limit", [1, 2, 3, 4, 10])
async def test_pages_hold_every_row_once_in_order_across_ties(
    session_db: Database, id_type: str, newest_first: bool, limit: int
) -> None:
    keyset = Keyset("t.at", "t.id", id_type="bigint" if id_type == "bigint" else "uuid", newest_first=newest_first)
    async with session_db.connection() as conn:
        everything = [(row["at"], row["id"]) for row in await conn.fetch(_rows(keyset))]

    seen = await _walk(session_db, keyset, limit)

    assert seen == sorted(everything, reverse=newest_first)


async def test_within_takes_the_start_and_leaves_out_the_end(session_db: Database) -> None:
    keyset = Keyset("t.at", "t.id")
    start = dt.datetime(2026, 12, 1, 0, 1, tzinfo=dt.UTC)
    async with session_db.connection() as conn:
        between = await conn.fetch(f"{_rows(keyset)} AND {keyset.within(1)}", start, start + dt.timedelta(minutes=2))
        open_ended = await conn.fetch(f"{_rows(keyset)} AND {keyset.within(1)}", start, None)

    assert sorted({row["at"] for row in between}) == [start, start + dt.timedelta(minutes=1)]
    assert len(between) == 6
    assert len(open_ended) == 7


def test_a_cursor_whose_id_is_not_the_lists_kind_is_refused() -> None:
    at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    assert Keyset("at", "id").args(TimeCursor(at=at, id=str(uuid.UUID(int=7)))) == (at, uuid.UUID(int=7))
    assert Keyset("at", "id", id_type="bigint").args(TimeCursor(at=at, id="7")) == (at, 7)
    assert Keyset("at", "id").args(None) == (None, None)
    with pytest.raises(InvalidInput) as refused:
        Keyset("at", "id", id_type="bigint").args(TimeCursor(at=at, id=str(uuid.UUID(int=7))))
    assert refused.value.code == "invalid_cursor"
