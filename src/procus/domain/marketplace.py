"""The public expert listing: its filters, sort orders, opaque keyset cursors and next free slots."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import re
import uuid

import msgspec

from procus.domain.cursors import check_limit, decode_cursor, encode_cursor, invalid_cursor
from procus.domain.errors import InvalidInput
from procus.domain.money import Money

__all__ = [
    "MAX_PAGE_SIZE",
    "MAX_SEARCH_WORDS",
    "ExpertCandidate",
    "ExpertSearch",
    "ExpertSort",
    "ListingCursor",
    "search_words",
]

MAX_PAGE_SIZE = 50
MAX_SEARCH_WORDS = 8
MAX_FREE_WITHIN_DAYS = 62
_WORD = re.compile(r"\w+")
_MAX_WORD = 60


class ExpertSort(enum.StrEnum):
    RELEVANCE = "relevance"
    PRICE = "price"
    RATING = "rating"
    SOONEST = "soonest"


class ExpertSearch(msgspec.Struct, frozen=True, kw_only=True):
    """What the listing is asked for. Prices compare minor units within ``currency`` when given."""

    words: tuple[str, ...] = ()
    category: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    currency: str | None = None
    language: str | None = None
    free_within_days: int | None = None
    free_from: dt.datetime | None = None
    """With ``free_to``: only experts with a slot starting in ``[free_from, free_to)``."""
    free_to: dt.datetime | None = None
    sort: ExpertSort = ExpertSort.RELEVANCE
    limit: int = 20

    def __post_init__(self) -> None:
        check_limit(self.limit, MAX_PAGE_SIZE)
        for name in ("min_price", "max_price"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InvalidInput("invalid_price", "prices are non-negative minor units", field=name)
        if self.min_price is not None and self.max_price is not None and self.min_price > self.max_price:
            raise InvalidInput("invalid_price_range", "min_price must not exceed max_price", field="max_price")
        if self.free_within_days is not None and not 1 <= self.free_within_days <= MAX_FREE_WITHIN_DAYS:
            raise InvalidInput(
                "invalid_free_within_days",
                f"free_within_days must be within 1..{MAX_FREE_WITHIN_DAYS}",
                field="free_within_days",
            )

        if (self.free_from is None) != (self.free_to is None):
            raise InvalidInput("invalid_free_between", "free_from and free_to go together", field="free_to")
        if self.free_from is not None and self.free_to is not None:
            if self.free_from.tzinfo is None or self.free_to.tzinfo is None:
                raise InvalidInput("naive_datetime", "datetimes must be timezone-aware", field="free_from")
            if not self.free_from < self.free_to:
                raise InvalidInput("invalid_free_between", "free_from must be before free_to", field="free_to")

    def fingerprint(self) -> str:
        """Identifies the filters and order a cursor belongs to (not the page size)."""
        material = msgspec.json.encode(msgspec.structs.replace(self, limit=1))
        return hashlib.blake2s(material, digest_size=6).hexdigest()


class FreeStart(msgspec.Struct, frozen=True):
    """A free start and an area it can be booked in (any area of that call length has the same slots)."""

    start: dt.datetime
    area_id: uuid.UUID


class ExpertCandidate(msgspec.Struct, frozen=True, kw_only=True):
    """One listed expert matching the filters, with what the card shows and what the sorts need.

    ``from_price`` is the cheapest matching active area and ``min_duration_minutes`` the shortest
    (a call that fits also fits when shorter, so the shortest gives the earliest free slot).
    ``tier`` is the relevance tier of a text search: 1 when every word is in the name or headline,
    2 when every word is there or in an area title, 3 when the bio is needed too.
    """

    id: uuid.UUID
    full_name: str
    headline: str
    languages: tuple[str, ...]
    time_zone: str
    categories: tuple[str, ...]
    from_price: Money
    rating_average: decimal.Decimal | None
    review_count: int
    min_duration_minutes: int
    avatar_key: str | None = None
    """Where the expert's picture is in object storage, if they have one."""
    tier: int = 0
    next_free_slot: dt.datetime | None = None
    first_free_between: FreeStart | None = None
    """Under a "free between" filter, the first free start in it, for a shortest matching area."""

    def sort_key(self, sort: ExpertSort) -> str:
        """The cursor's key for ``sort``, as text the store casts back to the column's type."""
        if sort is ExpertSort.RELEVANCE:
            return f"{self.tier}:{self.rating_average or 0}"
        if sort is ExpertSort.PRICE:
            return str(self.from_price.amount)
        if sort is ExpertSort.RATING:
            return str(self.rating_average or 0)
        return "" if self.next_free_slot is None else self.next_free_slot.isoformat()


class ListingCursor(msgspec.Struct, frozen=True):
    """Position after the last item of a page: that item's sort key and id, for one search."""

    search: str
    key: str
    id: uuid.UUID

    def encode(self) -> str:
        return encode_cursor(self)

    @classmethod
    def decode(cls, token: str, search: ExpertSearch) -> ListingCursor:
        cursor = decode_cursor(token, cls)
        if cursor.search != search.fingerprint():
            raise InvalidInput(
                "cursor_mismatch", "cursor belongs to a search with other filters or another sort", field="cursor"
            )
        if not _readable_key(search.sort, cursor.key):
            raise invalid_cursor()
        return cursor


def _readable_key(sort: ExpertSort, key: str) -> bool:
    """Whether ``key`` is a value of the sort's column; the store casts it in SQL."""
    try:
        if sort is ExpertSort.RELEVANCE:
            tier, _, rating = key.partition(":")
            return tier in {"0", "1", "2", "3"} and 0 <= decimal.Decimal(rating) <= 5
        if sort is ExpertSort.PRICE:
            return 0 <= int(key) < 2**63
        if sort is ExpertSort.RATING:
            return 0 <= decimal.Decimal(key) <= 5
        return not key or dt.datetime.fromisoformat(key).tzinfo is not None
    except (ValueError, decimal.InvalidOperation):
        return False


def search_words(query: str | None) -> tuple[str, ...]:
    """The words of a free-text query, at most ``MAX_SEARCH_WORDS``; the database stems them."""
    if not query:
        return ()
    return tuple(word[:_MAX_WORD] for word in _WORD.findall(query)[:MAX_SEARCH_WORDS])
