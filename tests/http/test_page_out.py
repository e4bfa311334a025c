"""The page every paged list answers with: each item shaped for the wire, and the cursor passed on."""

from __future__ import annotations

import msgspec

from procus.domain.cursors import Page
from procus.handlers.paging import page_out


class _ItemOut(msgspec.Struct, frozen=True):
    label: str


class _PageOut(msgspec.Struct, frozen=True, kw_only=True):
    items: list[_ItemOut]
    next_cursor: str | None


def test_each_item_is_shaped_in_order_and_the_cursor_is_kept() -> None:
    page = Page(items=[3, 1, 2], next_cursor="abc")

    shaped = page_out(_PageOut, page, lambda n: _ItemOut(label=f"#{n}"))

    assert shaped == _PageOut(items=[_ItemOut("#3"), _ItemOut("#1"), _ItemOut("#2")], next_cursor="abc")


def test_the_last_page_has_no_cursor() -> None:
    assert page_out(_PageOut, Page[int](items=[], next_cursor=None), str) == _PageOut(items=[], next_cursor=None)
