"""The query arguments the admin money lists share ($1..$8 of each store's SEARCH_* query)."""

from __future__ import annotations

from procus.domain.admin_lists import MoneySearch

__all__ = ["money_search_args"]


def money_search_args(search: MoneySearch) -> tuple[object, ...]:
    """statuses, user, currency, created from, created to, cursor time, cursor id, limit + 1 (to see a next page)."""
    after_at, after_id = (search.after.at, search.after.uuid_id()) if search.after else (None, None)
    return (
        list(search.statuses) or None,
        search.user_id,
        search.currency,
        search.created_from,
        search.created_to,
        after_at,
        after_id,
        search.limit + 1,
    )
