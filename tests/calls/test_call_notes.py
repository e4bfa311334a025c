"""PUT/GET /v1/calls/{booking_id}/notes: the expert's private notes."""

from __future__ import annotations

from tests.calls.conftest import Calls
from tests.support.accounts import bearer, register


async def test_only_the_calls_expert_reads_and_writes_the_notes(calls: Calls) -> None:
    call = await calls.ready()
    other = await calls.ready()
    stranger = bearer(await register(calls.client, role="expert"))
    path = f"/v1/calls/{call.booking_id}/notes"

    empty = await calls.client.get(path, headers=call.expert_headers)
    assert (empty.status_code, empty.json()) == (200, {"body": "", "updated_at": None, "version": 0})

    written = await calls.client.put(path, json={"body": "Wants help with asyncio."}, headers=call.expert_headers)
    assert written.status_code == 200, written.text
    assert written.json()["body"] == "Wants help with asyncio."
    assert written.json()["updated_at"] == calls.clock.now().isoformat().replace("+00:00", "Z")
    rewritten = await calls.client.put(path, json={"body": "Follow up on tests."}, headers=call.expert_headers)
    assert rewritten.json()["body"] == "Follow up on tests."
    assert (await calls.client.get(path, headers=call.expert_headers)).json()["body"] == "Follow up on tests."

    for headers, status, code in (
        (call.client_headers, 403, "notes_expert_only"),
        (other.expert_headers, 404, "booking_not_found"),
        (stranger, 404, "booking_not_found"),
    ):
        for response in (
            await calls.client.get(path, headers=headers),
            await calls.client.put(path, json={"body": "mine now"}, headers=headers),
        ):
            assert (response.status_code, response.json()["code"]) == (status, code)
    assert (await calls.client.get(path, headers=call.expert_headers)).json()["body"] == "Follow up on tests."
    other_notes = await calls.client.get(f"/v1/calls/{other.booking_id}/notes", headers=other.expert_headers)
    assert other_notes.json()["body"] == ""


async def test_notes_have_a_size_limit(calls: Calls) -> None:
    call = await calls.ready()
    response = await calls.client.put(
        f"/v1/calls/{call.booking_id}/notes", json={"body": "x" * 20_001}, headers=call.expert_headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
