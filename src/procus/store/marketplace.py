"""The public expert listing: filters and keyset-paginated sorts in SQL.

Full-text search runs against ``expert_profiles.search_document`` (GIN-indexed, kept current by
triggers). The document indexes names with the ``simple`` configuration and everything else with
``english``, so each query word matches either its English stem or itself; words English drops as
stop words are ignored. A listing row exists for an expert with at least one active area that
matches the area filters (category, price range, currency); the card shows the cheapest of them.
"""

from __future__ import annotations

import uuid

import asyncpg

from procus.domain.marketplace import ExpertCandidate, ExpertSearch, ExpertSort
from procus.domain.money import Money
from procus.store.db import Connection

__all__ = ["LISTING_SQL", "search_experts"]

_LISTING = """
WITH search AS (
    SELECT string_agg(
        '(' || (plainto_tsquery('english', w) || plainto_tsquery('simple', w))::text || ')', ' & '
    )::tsquery AS query
    FROM unnest($1::text[]) AS w
    WHERE numnode(plainto_tsquery('english', w)) > 0
), candidates AS (
    SELECT p.user_id AS id, u.full_name, u.avatar_key, p.headline, p.languages, p.time_zone, p.rating_average,
           p.review_count,
           coalesce(p.rating_average, 0) AS rating_key, {rank} AS rank,
           m.from_amount, m.from_currency, m.min_duration,
           (SELECT array_agg(DISTINCT c.category ORDER BY c.category) FROM expertise_areas c
             WHERE c.expert_id = p.user_id AND c.active) AS categories
    FROM expert_profiles p
    JOIN users u ON u.id = p.user_id
    CROSS JOIN search s
    CROSS JOIN LATERAL (
        SELECT (array_agg(a.price_amount ORDER BY a.price_amount, a.id))[1] AS from_amount,
               (array_agg(a.currency ORDER BY a.price_amount, a.id))[1] AS from_currency,
               min(a.duration_minutes) AS min_duration
        FROM expertise_areas a
        WHERE a.expert_id = p.user_id AND a.active
          AND ($2::text IS NULL OR a.category = $2)
          AND ($3::bigint IS NULL OR a.price_amount >= $3)
          AND ($4::bigint IS NULL OR a.price_amount <= $4)
          AND ($5::text IS NULL OR a.currency = $5)
    ) m
    WHERE p.published AND p.approval = 'approved' AND u.is_active AND m.from_amount IS NOT NULL
      AND ($6::text IS NULL OR p.languages @> ARRAY[$6::text])
      {matches}
)
SELECT id, full_name, avatar_key, headline, languages, time_zone, rating_average, review_count, rank, from_amount,
       from_currency, min_duration, categories
FROM candidates
WHERE {after}
ORDER BY {order}
LIMIT $7
"""

_SEARCHING = {
    True: {"rank": "ts_rank(p.search_document, s.query)", "matches": "AND p.search_document @@ s.query"},
    False: {"rank": "0::real", "matches": ""},
}
_ORDER = {
    ExpertSort.RELEVANCE: (
        "rank DESC, id",
        "($9::uuid IS NULL OR rank < $8::text::real OR (rank = $8::text::real AND id > $9))",
    ),
    ExpertSort.PRICE: (
        "from_amount, id",
        "($9::uuid IS NULL OR (from_amount, id) > ($8::text::bigint, $9))",
    ),
    ExpertSort.RATING: (
        "rating_key DESC, id",
        "($9::uuid IS NULL OR rating_key < $8::text::numeric OR (rating_key = $8::text::numeric AND id > $9))",
    ),
    # Soonest is ordered in Python after the slot engine has run; SQL only hands over candidates.
    ExpertSort.SOONEST: ("id", "($9::uuid IS NULL OR id > $9) AND ($8::text IS NULL OR true)"),
}

LISTING_SQL: dict[tuple[ExpertSort, bool], str] = {
    (sort, searching): _LISTING.format(order=order, after=after, **_SEARCHING[searching])
    for sort, (order, after) in _ORDER.items()
    for searching in (True, False)
}


def _to_candidate(row: asyncpg.Record) -> ExpertCandidate:
    return ExpertCandidate(
        id=row["id"],
        full_name=row["full_name"],
        headline=row["headline"],
        languages=tuple(row["languages"]),
        time_zone=row["time_zone"],
        categories=tuple(row["categories"] or ()),
        from_price=Money(row["from_amount"], row["from_currency"]),
        rating_average=row["rating_average"],
        review_count=row["review_count"],
        min_duration_minutes=row["min_duration"],
        avatar_key=row["avatar_key"],
        rank=row["rank"],
    )


async def search_experts(
    conn: Connection,
    search: ExpertSearch,
    *,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
) -> list[ExpertCandidate]:
    """Up to ``limit`` listed experts matching ``search`` in its sort order, after the ``(key, id)`` given.

    For ``soonest`` the order is by id: the caller sorts by the slot engine's answer.
    """
    key, after_id = after if after is not None else (None, None)
    rows = await conn.fetch(
        LISTING_SQL[search.sort, bool(search.words)],
        list(search.words) or None,
        search.category,
        search.min_price,
        search.max_price,
        search.currency,
        search.language,
        limit,
        key,
        after_id,
    )
    return [_to_candidate(row) for row in rows]
