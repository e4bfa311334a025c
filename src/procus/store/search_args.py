"""The admin money lists' one query shape (payments, refunds, payouts) and its arguments, $1..$8."""

from __future__ import annotations

from procus.domain.admin_lists import MoneySearch
from procus.store.keyset import Keyset

__all__ = ["NEWEST_CREATED", "money_search", "money_search_args"]

NEWEST_CREATED = Keyset("created_at", "id")
"""Newest first by creation: the order of every admin list of rows with ``created_at`` and a uuid ``id``."""


def money_search(select_from: str, *, user_match: str, table: str = "") -> str:
    """``select_from`` filtered by a :class:`MoneySearch`; ``user_match`` is when ``$2`` is the row's person,
    ``table`` the alias (with its dot) of the table that has status, currency and created_at."""
    keyset = Keyset(f"{table}created_at", f"{table}id")
    return f"""
{select_from}
WHERE ($1::text[] IS NULL OR {table}status::text = ANY($1::text[]))
  AND ($2::uuid IS NULL OR ({user_match}))
  AND ($3::text IS NULL OR {table}currency = $3)
  AND {keyset.within(4)}
  {keyset.page(6)}
"""


def money_search_args(search: MoneySearch) -> tuple[object, ...]:
    """statuses, user, currency, created from, created to, cursor time, cursor id, limit + 1 (to see a next page)."""
    return (
        list(search.statuses) or None,
        search.user_id,
        search.currency,
        search.created_from,
        search.created_to,
        *NEWEST_CREATED.args(search.after),
        search.limit + 1,
    )
