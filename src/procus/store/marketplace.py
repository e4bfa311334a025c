"""The public expert listing: filters and keyset-paginated sorts, answered from the directory's indexes.

Rows come from ``directory_listings`` (one per listed expert and category, ``''`` = all areas; see
the migration ``directory_index``), which carries the card's from price, shortest call, rating key
and the next free slot of that call, each with an index per sort. Every sort is one or a few
*branches*, each an index walk in its own order, glued by ``UNION ALL`` under one ``LIMIT``: the
executor runs a branch only while the page is not full, so a page costs about its own length in
rows whatever the size of the marketplace.

* ``relevance``: three tiers, each by rating then id: every word in the name or headline (weight
  A), then in those or an area title (A, B), then anywhere (the bio is C). A common word is found
  by walking the rating index and testing each row's document; a rare one through the GIN index.
  Both plans exist only with the actual words, so these statements are planned for each execution
  (``plan_cache_mode``), never with PostgreSQL's generic plan.
* ``soonest``: experts with a next free slot by (slot, id), then the others by id.
* ``price`` and ``rating``: one walk each.

Price range and currency filters change which areas count: the same walks then run over
``directory_offers`` (one row per listed expert, category and area, with the area's price and the
next free slot of its call length), keeping each expert's first matching row in the sort's order
(the cheapest for ``price``, the soonest free for ``soonest``), which is where that expert sorts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence

import asyncpg

from procus.domain.marketplace import ExpertCandidate, ExpertSearch, ExpertSort, FreeStart
from procus.domain.money import Money
from procus.store.db import Connection

__all__ = ["CUSTOM_PLANS", "next_free", "search_experts"]

# Planned for each execution with the actual words and bounds, and costed as the in-memory walks
# they are: at the default random_page_cost (4, for spinning disks) the planner preferred fetching
# and sorting every offer in a price range (450 ms at 100,000 experts) to walking the sort's index
# (17 ms). Without Memoize: a walk probes each expert once, so its cache never hits, but the node
# sizes its hash table for every expert the planner expects, which grows with the marketplace
# ("free between": 3.9 ms at 100,000 experts with it, 0.9 ms without; 0.9 ms at 1,000 either way).
CUSTOM_PLANS = (
    "SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL random_page_cost = 1.1; SET LOCAL enable_memoize = off"
)

# The search words as three tsqueries: any field; name or headline (weight A); those or an area
# title (A, B). Each word matches its English stem or itself; words English ignores are dropped.
WORDS = """
WITH words AS (
    SELECT string_agg(
        '(' || (plainto_tsquery('english', w) || plainto_tsquery('simple', w))::text || ')', ' & '
    ) AS query
    FROM unnest($1::text[]) AS w
    WHERE numnode(plainto_tsquery('english', w)) > 0
)
SELECT query::tsquery AS any_field,
       regexp_replace(query, '(''(?:[^'']|'''')*'')', '\\1:A', 'g')::tsquery AS headline,
       regexp_replace(query, '(''(?:[^'']|'''')*'')', '\\1:AB', 'g')::tsquery AS offer
FROM words
"""

# $1 words (any field), $2 category ('' = any), $3 min price, $4 max price, $5 currency, $6 language,
# $7 limit, $8 cursor tier, $9 cursor key (text), $10 cursor id, $11 now, $12 free before, $13/$14 free
# between, $15 words in name or headline, $16 words there or in an area title, $17 the signed-in
# viewer (experts a block keeps apart from them are left out). The words come in as
# values, not computed in the statement, so that the planner sees how common they are.
_PARAMETERS = """
WITH parameters AS (
    SELECT $1::tsquery, $3::bigint, $4::bigint, $5::text, $8::int, $9::text, $10::uuid, $11::timestamptz,
           $12::timestamptz, $13::timestamptz, $14::timestamptz, $15::tsquery, $16::tsquery, $17::uuid
)"""

_INDEXED_OFFER = "l.from_amount, l.from_currency, l.min_duration, l.next_free"
_INDEXED_CARD = "c.from_amount, c.from_currency, c.min_duration, c.next_free"
# With price or currency filters the walk is over directory_offers (one row per area). A walked row
# counts only when no other matching area of the same expert comes before it in the sort's order
# (one index probe), so each expert appears once, where their first matching area sorts; the card
# (the cheapest and the shortest matching area, the soonest free slot among them) is computed for
# the page's rows only.
_FILTERED_OFFER = "l.price_amount, l.currency, l.duration_minutes, l.next_free"
_MATCHES = """($3::bigint IS NULL OR {o}.price_amount >= $3) AND ($4::bigint IS NULL OR {o}.price_amount <= $4)
          AND ($5::text IS NULL OR {o}.currency = $5)"""
_EARLIER = {
    ExpertSort.RELEVANCE: "o.area_id < l.area_id",
    ExpertSort.RATING: "o.area_id < l.area_id",
    ExpertSort.PRICE: "(o.price_amount, o.area_id) < (l.price_amount, l.area_id)",
    ExpertSort.SOONEST: """(o.next_free < l.next_free OR (o.next_free IS NOT NULL AND l.next_free IS NULL)
                 OR (o.next_free IS NOT DISTINCT FROM l.next_free AND o.area_id < l.area_id))""",
}
_FIRST_MATCH = """
      AND NOT EXISTS (
            SELECT 1 FROM directory_offers o
            WHERE o.category = l.category AND o.expert_id = l.expert_id AND o.area_id <> l.area_id
              AND {matches} AND {earlier})"""
# What a filtered row's expert offers among the matching areas (the "free within" bound and the
# "free between" probe of sorts other than soonest need it for the walked rows too).
_MATCHING = """(SELECT {what} FROM directory_offers o
        WHERE o.category = l.category AND o.expert_id = l.expert_id AND {matches})"""
_FILTERED_CARD = "m.from_amount, m.from_currency, m.min_duration, m.next_free"
_CARD_JOIN = f"""
CROSS JOIN LATERAL (
    SELECT (array_agg(o.price_amount ORDER BY o.price_amount, o.area_id))[1] AS from_amount,
           (array_agg(o.currency ORDER BY o.price_amount, o.area_id))[1] AS from_currency,
           min(o.duration_minutes) AS min_duration, min(o.next_free) AS next_free
    FROM directory_offers o
    WHERE o.category = $2 AND o.expert_id = c.id AND {_MATCHES.format(o="o")}
) m"""

# "Free between $13 and $14": a lateral probe per row the sort's index walk reaches (never a hash of
# every expert's free time; the multirange's GiST box is the whole window, so it cannot narrow them).
# A window at least one step long that overlaps a run holds one of its starts; a shorter one needs
# the grid (directory_has_start).
_FREE_BETWEEN = """
    CROSS JOIN LATERAL (
        SELECT 1 FROM directory_free_time b
        WHERE b.expert_id = l.expert_id AND b.duration_minutes = {min_duration}
          AND b.starts && tstzrange(least(greatest($13, $11 + b.notice), $14), $14, '[)')
          AND ($14 - greatest($13, $11 + b.notice) >= make_interval(secs => b.step_seconds)
               OR directory_has_start(b.starts, b.step_seconds, greatest($13, $11 + b.notice), $14))
        LIMIT 1
    ) AS free_between"""

_BRANCH = """
    SELECT {tier} AS tier, l.expert_id AS id, l.rating_key, {offer}
    FROM {table} l
    JOIN expert_profiles p ON p.user_id = l.expert_id
{free_between}
    WHERE l.category = $2
      AND ($6::text IS NULL OR p.languages @> ARRAY[$6::text])
      AND ($17::uuid IS NULL OR NOT EXISTS (
            SELECT 1 FROM blocks x
            WHERE (x.blocker_id = $17 AND x.blocked_id = l.expert_id)
               OR (x.blocker_id = l.expert_id AND x.blocked_id = $17)))
      {filtered}
      {text}
      AND ($12::timestamptz IS NULL OR {next_free} < $12)
      AND {after}
    ORDER BY {order}
    LIMIT $7"""

# The card's first start in the "free between" window, and the area to book it in: the cheapest of
# the matching areas of the card's shortest call (whose slots these are), for the page's rows only.
_FIRST_BETWEEN = """(SELECT directory_first_start(b.starts, b.step_seconds, greatest($13, $11 + b.notice), $14)
        FROM directory_free_time b WHERE b.expert_id = c.id AND b.duration_minutes = {min_duration}) AS first_between,
       (SELECT o.area_id FROM directory_offers o
        WHERE o.category = $2 AND o.expert_id = c.id AND o.duration_minutes = {min_duration} AND {matches}
        ORDER BY o.price_amount, o.area_id LIMIT 1) AS first_between_area"""

_PAGE = """
SELECT c.tier, c.id, u.full_name, u.avatar_key, p.headline, p.languages, p.time_zone, p.rating_average,
       p.review_count, {card}, {first_between},
       (SELECT array_agg(k.category ORDER BY k.category) FROM directory_listings k
         WHERE k.expert_id = c.id AND k.category <> '') AS categories
FROM (SELECT *, row_number() OVER () AS position FROM ({branches}) AS branches LIMIT $7) AS c
JOIN expert_profiles p ON p.user_id = c.id
JOIN users u ON u.id = c.id{card_join}
ORDER BY c.position
"""


@dataclasses.dataclass(frozen=True)
class _Branch:
    tier: int
    text: str
    after: str
    order: str


_TEXT_FILTER = " AND p.search_document @@ $1"
_RATING_AFTER = (
    "($10::uuid IS NULL OR (l.rating_key <= $9::numeric AND (l.rating_key < $9::numeric OR l.expert_id > $10)))"
)
_TIERS = (
    "AND p.search_document @@ $15",
    "AND p.search_document @@ $16 AND NOT p.search_document @@ $15",
    "AND p.search_document @@ $1 AND NOT p.search_document @@ $16",
)


def _relevance(tier: int) -> _Branch:
    after = f"($10::uuid IS NULL OR $8 < {tier} OR ($8 = {tier} AND {_RATING_AFTER}))"
    return _Branch(tier, _TIERS[tier - 1], after, "l.rating_key DESC, l.expert_id")


_BRANCHES: dict[ExpertSort, tuple[_Branch, ...]] = {
    ExpertSort.RELEVANCE: tuple(_relevance(tier) for tier in (1, 2, 3)),
    ExpertSort.RATING: (_Branch(0, "", _RATING_AFTER, "l.rating_key DESC, l.expert_id"),),
    ExpertSort.PRICE: (
        _Branch(
            0,
            "",
            "($10::uuid IS NULL OR ({from_amount}, l.expert_id) > ($9::bigint, $10))",
            "{from_amount}, l.expert_id",
        ),
    ),
    ExpertSort.SOONEST: (
        _Branch(
            0,
            "AND {next_free} IS NOT NULL",
            "($10::uuid IS NULL OR ($9 <> '' AND ({next_free}, l.expert_id) > ($9::timestamptz, $10)))",
            "{next_free}, l.expert_id",
        ),
        _Branch(
            0,
            "AND {next_free} IS NULL",
            "($10::uuid IS NULL OR $9 <> '' OR l.expert_id > $10)",
            "l.expert_id",
        ),
    ),
}


def _statement(sort: ExpertSort, searching: bool, area_filtered: bool, between: bool) -> str:
    if area_filtered:
        matches = _MATCHES.format(o="o")
        columns = {
            "from_amount": "l.price_amount",
            "next_free": (
                "l.next_free"
                if sort is ExpertSort.SOONEST
                else _MATCHING.format(what="min(o.next_free)", matches=matches)
            ),
            "min_duration": _MATCHING.format(what="min(o.duration_minutes)", matches=matches),
        }
        # Only the price walk may narrow by price through an index: for the other sorts the planner,
        # shown a price index, would fetch and sort every offer in the range instead of walking.
        walked = _MATCHES.format(o="l")
        if sort is not ExpertSort.PRICE:
            walked = walked.replace("l.price_amount", "(l.price_amount + 0)")
        filtered = f"AND {walked}" + _FIRST_MATCH.format(matches=matches, earlier=_EARLIER[sort])
    else:
        columns = {"from_amount": "l.from_amount", "next_free": "l.next_free", "min_duration": "l.min_duration"}
        filtered = ""
    text_filter = _TEXT_FILTER if searching and sort is not ExpertSort.RELEVANCE else ""
    branches = [
        "("
        + _BRANCH.format(
            tier=branch.tier,
            table="directory_offers" if area_filtered else "directory_listings",
            offer=_FILTERED_OFFER if area_filtered else _INDEXED_OFFER,
            free_between=_FREE_BETWEEN.format(**columns) if between else "",
            filtered=filtered,
            text=(branch.text + text_filter).format(**columns),
            after=branch.after.format(**columns),
            order=branch.order.format(**columns),
            **columns,
        )
        + ")"
        for branch in _BRANCHES[sort]
    ]
    page = _PAGE.format(
        branches="\n    UNION ALL\n".join(branches),
        card=_FILTERED_CARD if area_filtered else _INDEXED_CARD,
        first_between=(
            _FIRST_BETWEEN.format(
                min_duration="m.min_duration" if area_filtered else "c.min_duration", matches=_MATCHES.format(o="o")
            )
            if between
            else "NULL::timestamptz AS first_between, NULL::uuid AS first_between_area"
        ),
        card_join=_CARD_JOIN if area_filtered else "",
    )
    return _PARAMETERS + page


LISTING_SQL: dict[tuple[ExpertSort, bool, bool, bool], str] = {
    (sort, searching, area_filtered, between): _statement(sort, searching, area_filtered, between)
    for sort in ExpertSort
    for searching in (True, False)
    for area_filtered in (True, False)
    for between in (True, False)
    if searching or sort is not ExpertSort.RELEVANCE
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
        tier=row["tier"],
        next_free_slot=row["next_free"],
        first_free_between=(
            FreeStart(row["first_between"], row["first_between_area"]) if row["first_between"] is not None else None
        ),
    )


def _cursor_parts(sort: ExpertSort, key: str | None) -> tuple[int, str | None]:
    if key is None:
        return 0, None
    if sort is ExpertSort.RELEVANCE:
        tier, _, rating = key.partition(":")
        return int(tier), rating
    return 0, key


async def search_experts(
    conn: Connection,
    search: ExpertSearch,
    *,
    now: dt.datetime,
    after: tuple[str, uuid.UUID] | None,
    limit: int,
    viewer_id: uuid.UUID | None = None,
) -> list[ExpertCandidate]:
    """Up to ``limit`` listed experts matching ``search`` in its sort order, after the ``(key, id)`` given.

    Run it in a transaction that has run ``CUSTOM_PLANS``.
    """
    key, after_id = after if after is not None else (None, None)
    tier, key_text = _cursor_parts(search.sort, key)
    area_filtered = not (search.min_price is None and search.max_price is None and search.currency is None)
    free_before = now + dt.timedelta(days=search.free_within_days) if search.free_within_days else None
    # Relevance without words: every row is equally relevant, so the tie-breakers (rating, id) decide.
    sort = search.sort if search.words or search.sort is not ExpertSort.RELEVANCE else ExpertSort.RATING
    queries = await conn.fetchrow(WORDS, list(search.words)) if search.words else None
    if queries is not None and queries["any_field"] is None:
        return []
    rows = await conn.fetch(
        LISTING_SQL[sort, bool(search.words), area_filtered, search.free_from is not None],
        queries["any_field"] if queries else None,
        search.category or "",
        search.min_price,
        search.max_price,
        search.currency,
        search.language,
        limit,
        tier,
        key_text,
        after_id,
        now,
        free_before,
        search.free_from,
        search.free_to,
        queries["headline"] if queries else None,
        queries["offer"] if queries else None,
        viewer_id,
    )
    return [_to_candidate(row) for row in rows]


NEXT_FREE = """
SELECT e.id, f.next_free
FROM unnest($1::uuid[], $2::int[]) AS e(id, duration)
LEFT JOIN directory_free_time f ON f.expert_id = e.id AND f.duration_minutes = e.duration
"""


async def next_free(
    conn: Connection, experts_and_durations: Sequence[tuple[uuid.UUID, int]]
) -> dict[uuid.UUID, dt.datetime | None]:
    """The indexed next free start of each expert for a call of the given minutes (None: none known)."""
    rows = await conn.fetch(
        NEXT_FREE, [expert_id for expert_id, _ in experts_and_durations], [d for _, d in experts_and_durations]
    )
    return {row["id"]: row["next_free"] for row in rows}
