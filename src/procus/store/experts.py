"""Expert profiles."""

from __future__ import annotations

import uuid

from procus.store.db import Connection

__all__ = ["insert_empty_profile"]

INSERT_EMPTY_PROFILE = """
INSERT INTO expert_profiles (user_id, time_zone) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING
"""


async def insert_empty_profile(conn: Connection, user_id: uuid.UUID, time_zone: str) -> None:
    await conn.execute(INSERT_EMPTY_PROFILE, user_id, time_zone)
