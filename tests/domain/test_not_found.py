"""How a missing record of a kind is named: one code and one sentence per kind, wherever it is raised."""

from __future__ import annotations

from procus.domain.errors import NotFound


def test_no_such_names_the_kind_in_the_code_and_the_detail() -> None:
    missing = NotFound.no_such("booking")

    assert isinstance(missing, NotFound)
    assert missing.code == "booking_not_found"
    assert missing.detail == "No such booking"
