"""/v1/me/avatar over HTTP, with the real S3 server behind it: upload, replace, remove, limits, and
the avatar URL on the account, on the public expert profile and on the expert's listing card."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from procus.app import create_app
from procus.bootstrap import Integrations
from procus.config import Settings
from procus.integrations.storage import S3ObjectStorage
from procus.store.db import Database
from procus_devstack.storage_server import run_storage_server
from tests.conftest import replace
from tests.support.accounts import bearer, register
from tests.support.experts import insert_area
from tests.support.http_server import serve_in_thread
from tests.support.storage import closed_port, jpeg_bytes, png_bytes, s3_storage, webp_bytes

Client = AsyncTestClient[Litestar]


async def _fetch(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(url)


async def _avatar_key(db: Database, user_id: str) -> str | None:
    async with db.connection() as conn:
        key: str | None = await conn.fetchval("SELECT avatar_key FROM users WHERE id = $1", uuid.UUID(user_id))
    return key


async def _put_raw(client: Client, tokens: dict[str, Any], data: bytes, content_type: str) -> httpx.Response:
    headers = {**bearer(tokens), "Content-Type": content_type}
    return await client.put("/v1/me/avatar", content=data, headers=headers)


async def _me(client: Client, tokens: dict[str, Any]) -> dict[str, Any]:
    response = await client.get("/v1/me", headers=bearer(tokens))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_upload_as_raw_body_then_fetch_it_and_see_it_on_me(client: Client, db: Database) -> None:
    tokens = await register(client)
    assert (await _me(client, tokens))["avatar_url"] is None
    image = png_bytes(padding=3000)

    response = await _put_raw(client, tokens, image, "image/png")

    assert response.status_code == 200, response.text
    fetched = await _fetch(response.json()["avatar_url"])
    assert (fetched.status_code, fetched.content, fetched.headers["content-type"]) == (200, image, "image/png")
    key = await _avatar_key(db, tokens["user"]["id"])
    assert key is not None
    assert key.startswith(f"avatars/{tokens['user']['id']}/")
    assert key.endswith(".png")
    me_url = (await _me(client, tokens))["avatar_url"]
    assert (await _fetch(me_url)).content == image
    assert parse_qs(urlsplit(me_url).query)["X-Amz-Expires"] == ["900"]


async def test_upload_as_multipart_form_field(client: Client, db: Database) -> None:
    tokens = await register(client)
    image = jpeg_bytes()

    response = await client.put(
        "/v1/me/avatar", files={"file": ("me.jpg", image, "image/jpeg")}, headers=bearer(tokens)
    )

    assert response.status_code == 200, response.text
    assert (await _fetch(response.json()["avatar_url"])).content == image
    assert str(await _avatar_key(db, tokens["user"]["id"])).endswith(".jpg")


async def test_a_multipart_part_without_a_useful_type_is_judged_by_its_bytes(client: Client) -> None:
    tokens = await register(client)
    image = webp_bytes()
    response = await client.put(
        "/v1/me/avatar", files={"file": ("me", image, "application/octet-stream")}, headers=bearer(tokens)
    )
    assert response.status_code == 200, response.text
    fetched = await _fetch(response.json()["avatar_url"])
    assert (fetched.content, fetched.headers["content-type"]) == (image, "image/webp")


async def test_multipart_without_the_file_field_is_refused(client: Client) -> None:
    tokens = await register(client)
    response = await client.put(
        "/v1/me/avatar", files={"picture": ("me.png", png_bytes(), "image/png")}, headers=bearer(tokens)
    )
    assert response.status_code == 422
    assert response.json()["code"] == "avatar_missing"


async def test_replacing_deletes_the_previous_image(client: Client, db: Database) -> None:
    tokens = await register(client)
    first = await _put_raw(client, tokens, png_bytes(), "image/png")
    first_key = await _avatar_key(db, tokens["user"]["id"])
    second = await _put_raw(client, tokens, jpeg_bytes(), "image/jpeg")

    assert second.status_code == 200
    assert await _avatar_key(db, tokens["user"]["id"]) not in (None, first_key)
    assert (await _fetch(first.json()["avatar_url"])).status_code == 404
    assert (await _fetch(second.json()["avatar_url"])).content == jpeg_bytes()


async def test_delete_removes_the_avatar_and_is_idempotent(client: Client, db: Database) -> None:
    tokens = await register(client)
    uploaded = await _put_raw(client, tokens, png_bytes(), "image/png")

    deleted = await client.delete("/v1/me/avatar", headers=bearer(tokens))

    assert deleted.status_code == 204
    assert await _avatar_key(db, tokens["user"]["id"]) is None
    assert (await _me(client, tokens))["avatar_url"] is None
    assert (await _fetch(uploaded.json()["avatar_url"])).status_code == 404
    assert (await client.delete("/v1/me/avatar", headers=bearer(tokens))).status_code == 204


@pytest.mark.parametrize(
    ("data", "content_type", "code"),
    [
        (b"%PDF-1.7 not an image", "application/pdf", "unsupported_avatar_type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/png", "unsupported_avatar_type"),
        (png_bytes(), "image/jpeg", "avatar_type_mismatch"),
        (b"", "image/png", "avatar_missing"),
    ],
)
async def test_content_is_checked_not_just_the_header(
    client: Client, db: Database, data: bytes, content_type: str, code: str
) -> None:
    tokens = await register(client)
    response = await _put_raw(client, tokens, data, content_type)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == code
    assert await _avatar_key(db, tokens["user"]["id"]) is None


@pytest.fixture
def small_limit_api(settings: Settings, db: Database, integrations: Integrations) -> Iterator[str]:
    """The app with a 1 KiB avatar limit behind a real HTTP server, which (unlike the test client)
    accepts a chunked body without Content-Length."""
    with serve_in_thread(create_app(replace(settings, avatar_max_bytes=1024), integrations)) as base_url:
        yield base_url


async def test_too_large_is_refused_by_announced_or_streamed_size(small_limit_api: str, db: Database) -> None:
    async with httpx.AsyncClient(base_url=small_limit_api, timeout=10) as client:
        tokens = await register(client)
        headers = bearer(tokens)
        exact = png_bytes(padding=1024 - len(png_bytes(padding=1)) + 1)
        assert len(exact) == 1024
        accepted = await client.put("/v1/me/avatar", content=exact, headers={**headers, "Content-Type": "image/png"})
        assert accepted.status_code == 200, accepted.text

        too_big = png_bytes(padding=2000)

        async def chunks() -> AsyncIterator[bytes]:
            for start in range(0, len(too_big), 256):
                yield too_big[start : start + 256]

        refused = [
            await client.put("/v1/me/avatar", content=too_big, headers={**headers, "Content-Type": "image/png"}),
            await client.put("/v1/me/avatar", content=chunks(), headers={**headers, "Content-Type": "image/png"}),
            await client.put("/v1/me/avatar", files={"file": ("big.png", too_big, "image/png")}, headers=headers),
        ]

    for response in refused:
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["code"] == "avatar_too_large"
        assert problem["max_bytes"] == 1024
    assert str(await _avatar_key(db, tokens["user"]["id"])).endswith(".png")


async def test_signing_in_is_required(client: Client) -> None:
    response = await client.put("/v1/me/avatar", content=png_bytes(), headers={"Content-Type": "image/png"})
    assert response.status_code == 401
    assert (await client.delete("/v1/me/avatar")).status_code == 401


async def test_storage_down_is_503_and_keeps_the_old_avatar(
    client: Client, settings: Settings, db: Database, integrations: Integrations
) -> None:
    tokens = await register(client)
    await _put_raw(client, tokens, png_bytes(), "image/png")
    key = await _avatar_key(db, tokens["user"]["id"])
    down = S3ObjectStorage(
        endpoint=f"127.0.0.1:{closed_port()}", access_key="key", secret_key="secret-key", bucket="down", timeout_s=1
    )
    app = create_app(settings, Integrations(**{**_fields(integrations), "storage": down}))
    async with AsyncTestClient(app) as broken:
        response = await _put_raw(broken, tokens, jpeg_bytes(), "image/jpeg")
    assert response.status_code == 503
    assert response.json()["code"] == "storage_unavailable"
    assert await _avatar_key(db, tokens["user"]["id"]) == key


def _fields(integrations: Integrations) -> dict[str, Any]:
    return {name: getattr(integrations, name) for name in integrations.__struct_fields__}


async def _listing_card(client: Client, expert_id: str) -> dict[str, Any]:
    response = await client.get("/v1/experts", params={"q": "Zanzibarian"})
    assert response.status_code == 200, response.text
    [card] = [card for card in response.json()["items"] if card["id"] == expert_id]
    return card  # type: ignore[no-any-return]


async def test_public_expert_profile_shows_the_avatar_and_nothing_private(client: Client, db: Database) -> None:
    tokens = await register(client, role="expert")
    expert_id = tokens["user"]["id"]
    async with db.connection() as conn:
        await conn.execute(
            "UPDATE expert_profiles SET published = true, approval = 'approved', headline = 'Zanzibarian spices'"
            " WHERE user_id = $1",
            uuid.UUID(expert_id),
        )
    await insert_area(db, uuid.UUID(expert_id))
    assert (await client.get(f"/v1/experts/{expert_id}")).json()["avatar_url"] is None
    assert (await _listing_card(client, expert_id))["avatar_url"] is None
    image = png_bytes()
    await _put_raw(client, tokens, image, "image/png")

    response = await client.get(f"/v1/experts/{expert_id}")

    assert response.status_code == 200
    profile = response.json()
    assert (await _fetch(profile["avatar_url"])).content == image
    assert set(profile) == {
        "id",
        "full_name",
        "headline",
        "bio",
        "languages",
        "time_zone",
        "rating_average",
        "review_count",
        "areas",
        "avatar_url",
        "can_book",
    }
    key = await _avatar_key(db, expert_id)
    assert key is not None
    text = response.text
    assert tokens["user"]["email"] not in text
    assert "X-Amz-Credential" in profile["avatar_url"]
    card_url = (await _listing_card(client, expert_id))["avatar_url"]
    assert (await _fetch(card_url)).content == image
    assert "secret" not in text.lower()


async def test_storage_stopped_then_started_again_affects_only_avatars(
    tmp_path: Any, settings: Settings, db: Database, integrations: Integrations
) -> None:
    """The real S3 server stopped under a running app: an upload is 503 problem+json and changes
    nothing, every other route answers as before; once it is back the same app stores avatars again.
    (Removing an avatar needs no storage at once: its object is deleted by a retried job.)"""
    data_dir = tmp_path / "storage"
    with run_storage_server(data_dir) as server:
        port = int(server.endpoint.rsplit(":", 1)[1])
        storage = s3_storage(server, bucket="outage", timeout_s=2)
        app = create_app(settings, Integrations(**{**_fields(integrations), "storage": storage}))
        async with AsyncTestClient(app) as client:
            tokens = await register(client)
            assert (await _put_raw(client, tokens, png_bytes(), "image/png")).status_code == 200
            key = await _avatar_key(db, tokens["user"]["id"])

            server.stop()
            refused = await _put_raw(client, tokens, jpeg_bytes(), "image/jpeg")
            assert refused.status_code == 503, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
            assert refused.json()["code"] == "storage_unavailable"
            assert await _avatar_key(db, tokens["user"]["id"]) == key
            for path, headers in (
                ("/v1/me", bearer(tokens)),
                ("/v1/notifications", bearer(tokens)),
                ("/v1/experts", {}),
                ("/readyz", {}),
            ):
                assert (await client.get(path, headers=headers)).status_code == 200, path

            with run_storage_server(data_dir, port=port):
                assert (await _put_raw(client, tokens, jpeg_bytes(), "image/jpeg")).status_code == 200
                assert await _avatar_key(db, tokens["user"]["id"]) not in (None, key)
