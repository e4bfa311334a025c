"""Admin experts and bookings APIs: the approval queue, approve/reject/unpublish, booking lists with
filters, one booking's timeline, and force-cancel with a partial refund (ledger balanced), all audited."""

from __future__ import annotations

import datetime as dt
import uuid

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.services.payments import LedgerAuditor
from procus.store.db import Database
from tests.support.accounts import register
from tests.support.bookings import http_expert, http_user
from tests.support.calls import book_call
from tests.support.payments import PaystackRelay
from tests.support.trust import http_admin, insert_booking, the_audit_row

Client = AsyncTestClient[Litestar]


async def test_the_approval_queue_and_each_decision_is_audited(client: Client, db: Database) -> None:
    _, admin = await http_admin(client, db)
    waiting = [uuid.UUID((await register(client, role="expert"))["user"]["id"]) for _ in range(3)]
    listed, _ = await http_expert(client, db)

    queue = await client.get("/v1/admin/experts", params={"limit": 2}, headers=admin)
    assert queue.status_code == 200, queue.text
    first = queue.json()
    rest = (await client.get("/v1/admin/experts", params={"cursor": first["next_cursor"]}, headers=admin)).json()
    queued = [uuid.UUID(p["id"]) for p in first["items"] + rest["items"]]
    assert set(waiting) <= set(queued)
    assert listed.id not in queued

    approved = await client.post(f"/v1/admin/experts/{waiting[0]}/approval", json={"status": "approved"}, headers=admin)
    assert approved.json()["approval"] == "approved"
    entry = await the_audit_row(db, waiting[0], "expert.approve")
    assert (entry["before"]["approval"], entry["after"]["approval"]) == ("pending", "approved")
    rejected = await client.post(
        f"/v1/admin/experts/{waiting[1]}/approval",
        json={"status": "rejected", "reason": "No credentials"},
        headers=admin,
    )
    assert rejected.json()["approval_reason"] == "No credentials"
    entry = await the_audit_row(db, waiting[1], "expert.reject")
    assert (entry["after"]["approval"], entry["reason"]) == ("rejected", "No credentials")
    still_waiting = (await client.get("/v1/admin/experts", headers=admin)).json()["items"]
    assert {p["id"] for p in still_waiting} >= {str(waiting[2])}
    assert str(waiting[0]) not in {p["id"] for p in still_waiting}

    unpublished = await client.post(
        f"/v1/admin/experts/{listed.id}/unpublish", json={"reason": "Misleading headline"}, headers=admin
    )
    assert unpublished.status_code == 200
    assert unpublished.json()["published"] is False
    assert (await client.get(f"/v1/experts/{listed.id}")).status_code == 404
    entry = await the_audit_row(db, listed.id, "expert.unpublish")
    assert (entry["before"]["published"], entry["after"]["published"]) == (True, False)
    again = await client.post(f"/v1/admin/experts/{listed.id}/unpublish", json={"reason": "x"}, headers=admin)
    assert (again.status_code, again.json()["code"]) == (409, "expert_not_published")
    async with db.connection() as conn:
        told = await conn.fetchval(
            "SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'expert.unpublished'", listed.id
        )
    assert told == 1


async def test_bookings_list_filters_and_pages(client: Client, db: Database) -> None:
    _, admin = await http_admin(client, db)
    expert, _ = await http_expert(client, db)
    other, _ = await http_expert(client, db)
    client_id, _ = await http_user(client, db)
    base = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    done = [
        await insert_booking(
            db, expert_id=expert.id, client_id=client_id, area_id=expert.area_id, starts_at=base + dt.timedelta(days=i)
        )
        for i in range(3)
    ]
    cancelled = await insert_booking(
        db,
        expert_id=other.id,
        client_id=client_id,
        area_id=other.area_id,
        starts_at=base - dt.timedelta(hours=1),
        status="cancelled",
    )

    def ids(response: object) -> list[str]:
        return [item["id"] for item in response.json()["items"]]  # type: ignore[attr-defined]

    by_expert = await client.get("/v1/admin/bookings", params={"expert_id": str(expert.id)}, headers=admin)
    assert ids(by_expert) == [str(b) for b in reversed(done)]
    by_status = await client.get(
        "/v1/admin/bookings", params={"client_id": str(client_id), "status": "cancelled"}, headers=admin
    )
    assert ids(by_status) == [str(cancelled)]
    window = {"from": (base + dt.timedelta(days=1)).isoformat(), "to": (base + dt.timedelta(days=2)).isoformat()}
    in_window = await client.get("/v1/admin/bookings", params={**window, "client_id": str(client_id)}, headers=admin)
    assert ids(in_window) == [str(done[1])]
    page = await client.get("/v1/admin/bookings", params={"client_id": str(client_id), "limit": 3}, headers=admin)
    following = await client.get(
        "/v1/admin/bookings", params={"client_id": str(client_id), "cursor": page.json()["next_cursor"]}, headers=admin
    )
    assert len(ids(page)) == 3
    assert ids(following) == [str(cancelled)]


async def test_timeline_and_force_cancel_with_a_partial_refund(
    client: Client, db: Database, paystack_relay: PaystackRelay
) -> None:
    _, admin = await http_admin(client, db)
    call = await book_call(client, db, paystack_relay, dt.datetime.now(dt.UTC))
    async with db.connection() as conn:
        call_id = await conn.fetchval("SELECT call_id FROM bookings WHERE id = $1", call.booking_id)
        await conn.execute(
            "INSERT INTO attendance_events (event_id, call_id, kind, identity, session, occurred_at, source,"
            " received_at) VALUES ('EV_tl', $1, 'joined', $2, 'PA_1', now(), 'webhook', now())",
            call_id,
            str(call.expert_id),
        )
        await conn.execute(
            "INSERT INTO call_notes (call_id, expert_id, body, updated_at) VALUES ($1, $2, 'secret plan', now())",
            call_id,
            call.expert_id,
        )

    timeline = await client.get(f"/v1/admin/bookings/{call.booking_id}/timeline", headers=admin)
    assert timeline.status_code == 200, timeline.text
    body = timeline.json()
    assert [e["action"] for e in body["events"]] == ["request", "accept"]
    assert body["payment"]["status"] == "held"
    assert [e["to_status"] for e in body["payment_events"]][-1] == "held"
    assert [(a["kind"], a["user_id"]) for a in body["attendance"]] == [("joined", str(call.expert_id))]
    assert body["notes_written_at"] is not None
    assert "secret plan" not in timeline.text

    cancelled = await client.post(
        f"/v1/admin/bookings/{call.booking_id}/cancel",
        json={"reason": "Expert reported abuse", "refund_bps": 2500},
        headers=admin,
    )
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    async with db.connection() as conn:
        price = await conn.fetchval("SELECT amount FROM payments WHERE booking_id = $1", call.booking_id)
        refunded = await conn.fetchval(
            "SELECT sum(r.amount) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.booking_id = $1",
            call.booking_id,
        )
    assert refunded == price * 2500 // 10_000
    assert await LedgerAuditor(db).verify() == []
    entry = await the_audit_row(db, call.booking_id, "booking.force_cancel")
    assert entry["before"] == {"status": "confirmed"}
    assert entry["after"] == {"status": "cancelled", "refund_bps": 2500}
    events = (await client.get(f"/v1/admin/bookings/{call.booking_id}/timeline", headers=admin)).json()["events"]
    assert (events[-1]["action"], events[-1]["actor_role"]) == ("cancel", "admin")
    again = await client.post(f"/v1/admin/bookings/{call.booking_id}/cancel", json={"reason": "again"}, headers=admin)
    assert again.status_code == 409
