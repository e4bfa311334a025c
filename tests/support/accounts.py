"""Factories for accounts: unique emails so tests never collide, through the real API or services."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import msgspec

from procus.store.db import Database

__all__ = ["PASSWORD", "bearer", "queued_emails", "register", "unique_email", "verify_directly"]

PASSWORD = "correct horse battery"


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def register(
    client: httpx.AsyncClient,
    *,
    role: str = "client",
    email: str | None = None,
    password: str = PASSWORD,
    full_name: str = "Ada Lovelace",
    time_zone: str = "UTC",
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Register a new account through the API and sign in with it, as the web app does (registration
    itself starts no session): the sign-in's token body."""
    email = email or unique_email(role)
    response = await client.post(
        "/v1/auth/register",
        json={"email": email, "password": password, "full_name": full_name, "role": role, "time_zone": time_zone},
        headers=headers,
    )
    assert response.status_code == 202, response.text
    signed_in = await client.post("/v1/auth/login", json={"email": email, "password": password}, headers=headers)
    assert signed_in.status_code == 200, signed_in.text
    body: dict[str, Any] = signed_in.json()
    return body


async def verify_directly(db: Database, user_id: str | uuid.UUID) -> None:
    async with db.connection() as conn:
        await conn.execute("UPDATE users SET email_verified_at = now() WHERE id = $1", uuid.UUID(str(user_id)))


async def queued_emails(db: Database, template: str, to: str) -> list[dict[str, Any]]:
    """Emails waiting in the job queue for ``to`` made from ``template``, oldest first."""
    async with db.connection() as conn:
        rows = await conn.fetch("SELECT payload FROM pgqueuer WHERE entrypoint = 'send_email' ORDER BY id")
    payloads = [msgspec.json.decode(row["payload"]) for row in rows]
    return [p for p in payloads if p["template"] == template and to in p["to"]]
