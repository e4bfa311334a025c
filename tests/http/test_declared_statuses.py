"""The table of statuses only the services know: every operation in it exists, and stands in it once."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler

from procus.app.openapi import _DECLARED, _DECLARED_BY_STATUSES, _by_operation


def test_every_declared_operation_is_one_the_app_has(app: Litestar) -> None:
    operations = {
        handler.operation_id
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        if isinstance(handler, HTTPRouteHandler)
    }
    assert set(_DECLARED) <= operations


def test_each_operation_gets_the_statuses_of_its_row() -> None:
    assert _DECLARED["register"] == {422}
    assert _DECLARED["createCalendarFeed"] == frozenset()
    assert sum(len(operations) for operations in _DECLARED_BY_STATUSES.values()) == len(_DECLARED)


def test_an_operation_declared_in_two_rows_is_refused() -> None:
    with pytest.raises(ValueError, match="register is declared twice"):
        _by_operation({(409,): ("register",), (409, 422): ("login", "register")})
