"""AvatarService on the real database and S3 server: the user's row and the stored objects agree,
whatever fails or races."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest

from procus.domain.accounts import Principal, Role
from procus.domain.avatars import sniff_image_type
from procus.domain.errors import NotFound
from procus.integrations.storage import S3ObjectStorage
from procus.services.accounts.avatars import AvatarService
from procus.store.db import Database
from procus_devstack.storage_server import StorageServer
from tests.support.accounts import unique_email
from tests.support.fakes import FakeClock
from tests.support.storage import TEST_BUCKET, jpeg_bytes, png_bytes


def _principal(user_id: uuid.UUID) -> Principal:
    return Principal(
        user_id=user_id,
        email="someone@example.com",
        role=Role.CLIENT,
        session_id=uuid.uuid4(),
        full_name="Someone",
        email_verified=True,
        time_zone="UTC",
    )


def _stored(server: StorageServer, user_id: uuid.UUID) -> list[str]:
    """The user's avatar objects as files in the server's data folder."""
    folder = server.data_dir / "objects" / TEST_BUCKET / "avatars" / str(user_id)
    return sorted(f"avatars/{user_id}/{path.name}" for path in folder.glob("*")) if folder.exists() else []


async def _user(db: Database) -> uuid.UUID:
    async with db.connection() as conn:
        user_id: uuid.UUID = await conn.fetchval(
            "INSERT INTO users (email, full_name, role) VALUES ($1, 'Someone', 'client') RETURNING id", unique_email()
        )
    return user_id


async def _key(db: Database, user_id: uuid.UUID) -> str | None:
    async with db.connection() as conn:
        key: str | None = await conn.fetchval("SELECT avatar_key FROM users WHERE id = $1", user_id)
    return key


async def _uploaded(avatars: AvatarService, storage: S3ObjectStorage, user_id: uuid.UUID, image: bytes) -> str:
    """An upload as the browser leaves it: started, then the bytes put at its key."""
    content_type = sniff_image_type(image)
    assert content_type is not None
    upload = await avatars.start_upload(_principal(user_id), content_type.value, len(image))
    await storage.put(upload.key, image, content_type.value)
    return upload.key


async def test_an_upload_for_a_missing_user_leaves_no_avatar_object(
    db: Database, storage: S3ObjectStorage, storage_server: StorageServer, clock: FakeClock
) -> None:
    ghost = uuid.uuid4()
    avatars = AvatarService(db, storage, clock)
    key = await _uploaded(avatars, storage, ghost, png_bytes())
    with pytest.raises(NotFound):
        await avatars.adopt_upload(_principal(ghost), key)
    assert _stored(storage_server, ghost) == []


async def test_racing_uploads_leave_exactly_the_object_the_row_names(
    db: Database, storage: S3ObjectStorage, storage_server: StorageServer, clock: FakeClock
) -> None:
    user_id = await _user(db)
    avatars = AvatarService(db, storage, clock)
    keys = [await _uploaded(avatars, storage, user_id, image) for image in [png_bytes(), jpeg_bytes()] * 3]

    await asyncio.gather(*(avatars.adopt_upload(_principal(user_id), key) for key in keys))

    key = await _key(db, user_id)
    assert key is not None
    assert _stored(storage_server, user_id) == [key]
    await avatars.remove(_principal(user_id))
    assert (await _key(db, user_id), _stored(storage_server, user_id)) == (None, [])


async def test_the_sweep_deletes_settled_orphans_only(
    db: Database, storage: S3ObjectStorage, storage_server: StorageServer, clock: FakeClock
) -> None:
    """An object no row names, and an upload never adopted, are deleted once older than the grace
    period (1 h); an avatar in use, and an unreferenced object young enough to be an upload still
    on its way or committing, are kept."""
    clock.current = dt.datetime.now(dt.UTC)
    avatars = AvatarService(db, storage, clock)
    owner, left_behind = await _user(db), uuid.uuid4()
    await avatars.adopt_upload(_principal(owner), await _uploaded(avatars, storage, owner, png_bytes()))
    in_use = await _key(db, owner)
    orphan = f"avatars/{left_behind}/{uuid.uuid4()}.png"
    await storage.put(orphan, png_bytes(), "image/png")
    never_adopted = await _uploaded(avatars, storage, owner, jpeg_bytes())

    swept = await avatars.sweep_orphans()
    assert orphan not in swept
    assert never_adopted not in swept
    assert _stored(storage_server, left_behind) == [orphan]

    clock.advance(minutes=61)
    assert {orphan, never_adopted} <= set(await avatars.sweep_orphans())
    assert await storage.fetch(never_adopted, 10_000) is None
    assert _stored(storage_server, left_behind) == []
    assert _stored(storage_server, owner) == [in_use]
    assert orphan not in await avatars.sweep_orphans()
