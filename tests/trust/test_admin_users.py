"""Admin users API: find, filter and page accounts; read one with bookings and payments; suspend,
reactivate, change role and resend verification, each leaving exactly one audit row; the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.store.db import Database
from tests.support.accounts import bearer, queued_emails, register, unique_email
from tests.support.bookings import http_user
from tests.support.calls import book_call
from tests.support.payments import PaystackRelay
from tests.support.trust import audit_rows, http_admin, the_audit_row

Client = AsyncTestClient[Litestar]


async def _all_pages(client: Client, path: str, params: dict[str, Any], headers: dict[str, str]) -> list[Any]:
    items: list[Any] = []
    cursor = None
    while True:
        response = await client.get(path, params={**params, **({"cursor": cursor} if cursor else {})}, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def test_admins_find_users_by_text_role_status_and_creation(client: Client, db: Database) -> None:
    _, admin = await http_admin(client, db)
    tag = uuid.uuid4().hex[:8]
    made = []
    for index, role in enumerate(["client", "client", "expert", "client", "expert"]):
        tokens = await register(client, role=role, email=unique_email(f"find{tag}{index}"), full_name=f"Pat {tag}")
        made.append((uuid.UUID(tokens["user"]["id"]), role))
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET is_active = false WHERE id = $1", made[1][0])
        await conn.execute("UPDATE users SET created_at = now() - interval '10 days' WHERE id = $1", made[0][0])

    everyone = await _all_pages(client, "/v1/admin/users", {"q": tag, "limit": 2}, admin)
    assert {uuid.UUID(u["id"]) for u in everyone} == {user_id for user_id, _ in made}
    experts = await _all_pages(client, "/v1/admin/users", {"q": tag, "role": "expert"}, admin)
    assert {uuid.UUID(u["id"]) for u in experts} == {made[2][0], made[4][0]}
    suspended = await _all_pages(client, "/v1/admin/users", {"q": tag, "status": "suspended"}, admin)
    assert [uuid.UUID(u["id"]) for u in suspended] == [made[1][0]]
    assert suspended[0]["active"] is False
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).isoformat()
    recent = await _all_pages(client, "/v1/admin/users", {"q": tag, "created_from": since}, admin)
    assert made[0][0] not in {uuid.UUID(u["id"]) for u in recent}
    assert len(recent) == 4
    wildcard = await client.get("/v1/admin/users", params={"q": "%"}, headers=admin)
    assert wildcard.json()["items"] == []
    bad = await client.get("/v1/admin/users", params={"cursor": "not-a-cursor"}, headers=admin)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")


async def test_an_admin_reads_a_user_with_their_bookings_and_payments(
    client: Client, db: Database, paystack_relay: PaystackRelay
) -> None:
    _, admin = await http_admin(client, db)
    call = await book_call(client, db, paystack_relay, dt.datetime.now(dt.UTC))
    response = await client.get(f"/v1/admin/users/{call.client_id}", headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["user"]["id"] == str(call.client_id)
    assert [b["id"] for b in body["bookings"]] == [str(call.booking_id)]
    assert [(p["booking_id"], p["status"]) for p in body["payments"]] == [(str(call.booking_id), "held")]
    assert (await client.get(f"/v1/admin/users/{uuid.uuid4()}", headers=admin)).status_code == 404


async def test_suspend_reactivate_role_and_verification_each_leave_one_audit_row(client: Client, db: Database) -> None:
    admin_id, admin = await http_admin(client, db)
    tokens = await register(client)
    user_id = tokens["user"]["id"]

    suspended = await client.post(f"/v1/admin/users/{user_id}/suspend", json={"reason": "Fraud"}, headers=admin)
    assert suspended.status_code == 200
    assert suspended.json()["active"] is False
    assert (await client.get("/v1/me", headers=bearer(tokens))).status_code == 403
    entry = await the_audit_row(db, user_id, "user.suspend")
    assert (entry["admin_id"], entry["target_type"], entry["reason"]) == (admin_id, "user", "Fraud")
    assert (entry["before"]["is_active"], entry["after"]["is_active"]) == (True, False)
    assert entry["client_address"]

    reactivated = await client.post(f"/v1/admin/users/{user_id}/reactivate", headers=admin)
    assert reactivated.json()["active"] is True
    entry = await the_audit_row(db, user_id, "user.reactivate")
    assert (entry["before"]["is_active"], entry["after"]["is_active"]) == (False, True)

    promoted = await client.post(f"/v1/admin/users/{user_id}/role", json={"role": "expert"}, headers=admin)
    assert promoted.json()["role"] == "expert"
    async with db.connection() as conn:
        assert (
            await conn.fetchval("SELECT published FROM expert_profiles WHERE user_id = $1", uuid.UUID(user_id)) is False
        )
    entry = await the_audit_row(db, user_id, "user.change_role")
    assert (entry["before"]["role"], entry["after"]["role"]) == ("client", "expert")
    same = await client.post(f"/v1/admin/users/{user_id}/role", json={"role": "expert"}, headers=admin)
    assert (same.status_code, same.json()["code"]) == (409, "role_unchanged")
    own = await client.post(f"/v1/admin/users/{admin_id}/role", json={"role": "client"}, headers=admin)
    assert (own.status_code, own.json()["code"]) == (422, "cannot_change_own_role")

    resent = await client.post(f"/v1/admin/users/{user_id}/resend-verification", headers=admin)
    assert resent.status_code == 200
    assert len(await queued_emails(db, "email_verification", tokens["user"]["email"])) == 2
    await the_audit_row(db, user_id, "user.resend_verification")
    assert len(await audit_rows(db, user_id)) == 4, "refused actions leave no row"


async def test_the_audit_trail_filters_and_pages(client: Client, db: Database) -> None:
    admin_id, admin = await http_admin(client, db)
    other_admin_id, other_admin = await http_admin(client, db)
    targets = [await http_user(client, db) for _ in range(3)]
    for user_id, _ in targets:
        await client.post(f"/v1/admin/users/{user_id}/suspend", headers=admin)
    await client.post(f"/v1/admin/users/{targets[0][0]}/reactivate", headers=other_admin)

    everything = await _all_pages(client, "/v1/admin/audit", {"limit": 2}, admin)
    assert len(everything) == 4
    assert next(e["action"] for e in everything) == "user.reactivate"
    suspensions = await _all_pages(client, "/v1/admin/audit", {"action": "user.suspend"}, admin)
    assert {e["target_id"] for e in suspensions} == {str(user_id) for user_id, _ in targets}
    family = await _all_pages(client, "/v1/admin/audit", {"action": "user."}, admin)
    assert len(family) == 4
    by_other = await _all_pages(client, "/v1/admin/audit", {"admin_id": str(other_admin_id)}, admin)
    assert [(e["admin_id"], e["target_id"]) for e in by_other] == [(str(other_admin_id), str(targets[0][0]))]
    about_one = await _all_pages(
        client, "/v1/admin/audit", {"target_type": "user", "target_id": str(targets[0][0])}, admin
    )
    assert [e["action"] for e in about_one] == ["user.reactivate", "user.suspend"]
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    assert await _all_pages(client, "/v1/admin/audit", {"from": future}, admin) == []
    assert admin_id != other_admin_id
