"""Two tabs on one call's notes: a save based on an old version gets 409 with the current notes."""

from __future__ import annotations

import asyncio

from tests.calls.conftest import Calls


async def test_a_stale_save_is_refused_with_the_current_notes(calls: Calls) -> None:
    call = await calls.ready()
    path = f"/v1/calls/{call.booking_id}/notes"
    headers = call.expert_headers

    first = await calls.client.put(path, json={"body": "Tab A: agenda", "base_version": 0}, headers=headers)
    assert (first.status_code, first.json()["version"]) == (200, 1), first.text
    second = await calls.client.put(path, json={"body": "Tab A: agenda, pricing", "base_version": 1}, headers=headers)
    assert second.json()["version"] == 2

    stale = await calls.client.put(path, json={"body": "Tab B: my own text", "base_version": 1}, headers=headers)
    assert stale.status_code == 409
    assert stale.headers["content-type"].startswith("application/problem+json")
    problem = stale.json()
    assert problem["code"] == "notes_changed"
    assert problem["current"] == {
        "body": "Tab A: agenda, pricing",
        "updated_at": second.json()["updated_at"],
        "version": 2,
    }
    kept = await calls.client.get(path, headers=headers)
    assert (kept.json()["body"], kept.json()["version"]) == ("Tab A: agenda, pricing", 2)

    first_again = await calls.client.put(path, json={"body": "Fresh", "base_version": 0}, headers=headers)
    assert (first_again.status_code, first_again.json()["current"]["version"]) == (409, 2)
    merged = await calls.client.put(path, json={"body": "Merged both", "base_version": 2}, headers=headers)
    assert (merged.status_code, merged.json()["version"]) == (200, 3)
    blind = await calls.client.put(path, json={"body": "Overwrite"}, headers=headers)
    assert (blind.status_code, blind.json()["version"]) == (200, 4)
    negative = await calls.client.put(path, json={"body": "x", "base_version": -1}, headers=headers)
    assert (negative.status_code, negative.json()["code"]) == (400, "validation_failed")


async def test_of_two_simultaneous_first_saves_exactly_one_wins(calls: Calls) -> None:
    call = await calls.ready()
    path = f"/v1/calls/{call.booking_id}/notes"
    answers = await asyncio.gather(
        *(
            calls.client.put(path, json={"body": f"tab {n}", "base_version": 0}, headers=call.expert_headers)
            for n in range(4)
        )
    )
    assert sorted(answer.status_code for answer in answers) == [200, 409, 409, 409]
    [winner] = [answer.json() for answer in answers if answer.status_code == 200]
    assert all(answer.json()["current"] == winner for answer in answers if answer.status_code == 409)
