"""Keyset paging in SQL: a page continues strictly after the (time, id) of the last row the caller saw.

Every paged list orders by a time column with the row's id as tie-breaker, so rows sharing one instant
are neither skipped nor repeated, and a page costs the same wherever it starts (no OFFSET). A query
takes the cursor's time and id as two consecutive parameters (time NULL: the first page) and the
page size as the next one; callers ask for one row more than they show, to know a next page exists.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import msgspec

from procus.domain.cursors import TimeCursor

__all__ = ["Keyset"]


class Keyset(msgspec.Struct, frozen=True):
    """One list's order: ``at`` and ``id`` are SQL column expressions, e.g. ``r.created_at`` and ``r.id``."""

    at: str
    id: str
    id_type: Literal["uuid", "bigint"] = "uuid"
    newest_first: bool = True

    def after(self, first: int) -> str:
        """Rows past the cursor in ``$first`` (time) and ``$first+1`` (id); every row when the time is NULL."""
        beyond = "<" if self.newest_first else ">"
        cursor = f"(${first}, ${first + 1}::{self.id_type})"
        return f"(${first}::timestamptz IS NULL OR ({self.at}, {self.id}) {beyond} {cursor})"

    def order(self, limit: int) -> str:
        """``ORDER BY`` the keyset, at most ``$limit`` rows."""
        direction = " DESC" if self.newest_first else ""
        return f"ORDER BY {self.at}{direction}, {self.id}{direction} LIMIT ${limit}"

    def page(self, first: int) -> str:
        """The end of a ``WHERE``: ``AND`` :meth:`after` ``$first``, ``$first+1``, then :meth:`order` ``$first+2``."""
        return f"AND {self.after(first)}\n{self.order(first + 2)}"

    def within(self, first: int) -> str:
        """Rows whose time is from ``$first`` (inclusive) to ``$first+1`` (exclusive); either bound may be NULL."""
        return (
            f"(${first}::timestamptz IS NULL OR {self.at} >= ${first})"
            f" AND (${first + 1}::timestamptz IS NULL OR {self.at} < ${first + 1})"
        )

    def args(self, after: TimeCursor | None) -> tuple[dt.datetime | None, uuid.UUID | int | None]:
        """The cursor as the query's two parameters; ``invalid_cursor`` when its id is not of ``id_type``."""
        if after is None:
            return None, None
        return after.at, after.int_id() if self.id_type == "bigint" else after.uuid_id()
