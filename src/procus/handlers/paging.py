"""What every keyset-paged list shares at the edge: its ``cursor`` parameter and the page it answers with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Protocol, TypeVar

from litestar.params import Parameter

__all__ = ["PageCursor", "page_out"]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
P = TypeVar("P")

PageCursor = Annotated[str | None, Parameter(max_length=500, description="next_cursor of the previous page")]


class _Page(Protocol[T_co]):
    @property
    def items(self) -> Sequence[T_co]: ...

    @property
    def next_cursor(self) -> str | None: ...


def page_out(shape: Callable[..., P], page: _Page[T], item: Callable[[T], object]) -> P:
    """``shape`` (a ``…PageOut`` struct) with each of the page's items as ``item`` makes it, and the page's cursor."""
    return shape(items=[item(found) for found in page.items], next_cursor=page.next_cursor)
