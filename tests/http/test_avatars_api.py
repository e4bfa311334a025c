"""/v1/me/avatar over HTTP with the real S3 server behind it: the browser's three steps (ask for a
presigned upload, PUT the file to storage, hand the upload to the API), replace, remove, the limits
checked before and after the upload, and the avatar URL on the account, on the public expert
profile and on the expert's listing card."""

from __future__ import annotations

import uuid
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
from tests.support.storage import closed_port, jpeg_bytes, png_bytes, s3_storage, webp_bytes

Client = AsyncTestClient[Litestar]


async def _fetch(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(url)


async def _avatar_key(db: Database, user_id: str) -> str | None:
    async with db.connection() as conn:
        key: str | None = await conn.fetchval("SELECT avatar_key FROM users WHERE id = $1", uuid.UUID(user_id))
    return key


async def _start(client: Client, tokens: dict[str, Any], content_type: str, size: int) -> httpx.Response:
    return await client.post(
        "/v1/me/avatar/uploads", json={"content_type": content_type, "size": size}, headers=bearer(tokens)
    )


async def _send(upload: dict[str, Any], data: bytes) -> httpx.Response:
    """Step 2, as the browser does it: straight to storage, with no credentials of ours."""
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.request(upload["method"], upload["upload_url"], content=data, headers=upload["headers"])


async def _adopt(client: Client, tokens: dict[str, Any], upload_key: str) -> httpx.Response:
    return await client.put("/v1/me/avatar", json={"upload_key": upload_key}, headers=bearer(tokens))


async def _upload(
    client: Client, tokens: dict[str, Any], data: bytes, content_type: str, declared_size: int | None = None
) -> httpx.Response:
    started = await _start(client, tokens, content_type, len(data) if declared_size is None else declared_size)
    assert started.status_code == 201, started.text
    sent = await _send(started.json(), data)
    assert sent.status_code == 200, sent.text
    return await _adopt(client, tokens, started.json()["upload_key"])


async def _me(client: Client, tokens: dict[str, Any]) -> dict[str, Any]:
    response = await client.get("/v1/me", headers=bearer(tokens))
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    code: str = response.json()["code"]
    return code


async def test_presign_put_adopt_then_see_it_on_me(client: Client, db: Database, settings: Settings) -> None:
    tokens = await register(client)
    assert (await _me(client, tokens))["avatar_url"] is None
    image = png_bytes(padding=3000)

    started = await _start(client, tokens, "image/png", len(image))

    assert started.status_code == 201, started.text
    upload = started.json()
    assert upload["method"] == "PUT"
    assert upload["headers"] == {"Content-Type": "image/png"}
    assert upload["max_bytes"] == settings.avatar_max_bytes
    assert upload["upload_key"].startswith(f"avatar-uploads/{tokens['user']['id']}/")
    assert urlsplit(upload["upload_url"]).path.endswith(upload["upload_key"])
    assert (await _send(upload, image)).status_code == 200
    assert (await _me(client, tokens))["avatar_url"] is None  # uploaded is not adopted

    adopted = await _adopt(client, tokens, upload["upload_key"])

    assert adopted.status_code == 200, adopted.text
    fetched = await _fetch(adopted.json()["avatar_url"])
    assert (fetched.status_code, fetched.content, fetched.headers["content-type"]) == (200, image, "image/png")
    key = await _avatar_key(db, tokens["user"]["id"])
    assert key is not None
    assert key.startswith(f"avatars/{tokens['user']['id']}/")
    assert key.endswith(".png")
    me_url = (await _me(client, tokens))["avatar_url"]
    assert (await _fetch(me_url)).content == image
    assert parse_qs(urlsplit(me_url).query)["X-Amz-Expires"] == ["900"]
    again = await _adopt(client, tokens, upload["upload_key"])  # the upload itself is gone once adopted
    assert _problem(again, 404) == "avatar_upload_missing"


@pytest.mark.parametrize(("image", "content_type"), [(jpeg_bytes(), "image/jpeg"), (webp_bytes(), "image/webp")])
async def test_jpeg_and_webp_keep_their_type(client: Client, image: bytes, content_type: str) -> None:
    tokens = await register(client)
    response = await _upload(client, tokens, image, content_type)
    assert response.status_code == 200, response.text
    fetched = await _fetch(response.json()["avatar_url"])
    assert (fetched.content, fetched.headers["content-type"]) == (image, content_type)


async def test_replacing_deletes_the_previous_image(client: Client, db: Database) -> None:
    tokens = await register(client)
    first = await _upload(client, tokens, png_bytes(), "image/png")
    first_key = await _avatar_key(db, tokens["user"]["id"])
    second = await _upload(client, tokens, jpeg_bytes(), "image/jpeg")

    assert second.status_code == 200
    assert await _avatar_key(db, tokens["user"]["id"]) not in (None, first_key)
    assert (await _fetch(first.json()["avatar_url"])).status_code == 404
    assert (await _fetch(second.json()["avatar_url"])).content == jpeg_bytes()


async def test_delete_removes_the_avatar_and_is_idempotent(client: Client, db: Database) -> None:
    tokens = await register(client)
    uploaded = await _upload(client, tokens, png_bytes(), "image/png")

    deleted = await client.delete("/v1/me/avatar", headers=bearer(tokens))

    assert deleted.status_code == 204
    assert await _avatar_key(db, tokens["user"]["id"]) is None
    assert (await _me(client, tokens))["avatar_url"] is None
    assert (await _fetch(uploaded.json()["avatar_url"])).status_code == 404
    assert (await client.delete("/v1/me/avatar", headers=bearer(tokens))).status_code == 204


@pytest.mark.parametrize(
    ("content_type", "size", "code"),
    [
        ("application/pdf", 100, "unsupported_avatar_type"),
        ("image/svg+xml", 100, "unsupported_avatar_type"),
        ("application/octet-stream", 100, "unsupported_avatar_type"),
        ("image/png", 2 * 1024 * 1024 + 1, "avatar_too_large"),
    ],
)
async def test_wrong_type_or_too_large_is_refused_before_the_upload(
    client: Client, content_type: str, size: int, code: str
) -> None:
    tokens = await register(client)
    assert _problem(await _start(client, tokens, content_type, size), 422) == code


async def test_a_declared_size_of_zero_is_a_schema_error(client: Client) -> None:
    tokens = await register(client)
    assert _problem(await _start(client, tokens, "image/png", 0), 400) == "validation_failed"


@pytest.mark.parametrize(
    ("data", "declared", "code"),
    [
        (b"%PDF-1.7 not an image", "image/png", "unsupported_avatar_type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/png", "unsupported_avatar_type"),
        (png_bytes(), "image/jpeg", "avatar_type_mismatch"),
        (b"", "image/png", "avatar_missing"),
    ],
)
async def test_the_uploaded_bytes_are_checked_not_just_the_declared_type(
    client: Client, db: Database, storage: S3ObjectStorage, data: bytes, declared: str, code: str
) -> None:
    tokens = await register(client)
    started = (await _start(client, tokens, declared, max(len(data), 1))).json()
    assert (await _send(started, data)).status_code == 200

    response = await _adopt(client, tokens, started["upload_key"])

    assert _problem(response, 422) == code
    assert await _avatar_key(db, tokens["user"]["id"]) is None
    assert await storage.fetch(started["upload_key"], 10_000) is None  # a refused upload is deleted


@pytest.fixture
async def small_limit_client(settings: Settings, db: Database, integrations: Integrations) -> Client:
    async with AsyncTestClient(create_app(replace(settings, avatar_max_bytes=1024), integrations)) as client:
        yield client  # type: ignore[misc]


async def test_a_file_larger_than_declared_is_refused_when_adopted(small_limit_client: Client, db: Database) -> None:
    """Storage takes whatever the URL's holder sends; the limit holds because adopting reads at most
    the limit back."""
    client = small_limit_client
    tokens = await register(client)
    exact = png_bytes(padding=1024 - len(png_bytes(padding=1)) + 1)
    assert len(exact) == 1024
    assert (await _upload(client, tokens, exact, "image/png")).status_code == 200
    kept = await _avatar_key(db, tokens["user"]["id"])

    response = await _upload(client, tokens, png_bytes(padding=2000), "image/png", declared_size=500)

    assert _problem(response, 422) == "avatar_too_large"
    assert response.json()["max_bytes"] == 1024
    assert await _avatar_key(db, tokens["user"]["id"]) == kept


async def test_an_upload_never_sent_or_never_adopted_is_not_an_avatar(client: Client) -> None:
    tokens = await register(client)
    unsent = (await _start(client, tokens, "image/png", len(png_bytes()))).json()
    assert _problem(await _adopt(client, tokens, unsent["upload_key"]), 404) == "avatar_upload_missing"

    sent = (await _start(client, tokens, "image/png", len(png_bytes()))).json()
    assert (await _send(sent, png_bytes())).status_code == 200
    assert (await _me(client, tokens))["avatar_url"] is None


async def test_another_users_upload_cannot_be_adopted(client: Client, db: Database) -> None:
    owner, thief = await register(client), await register(client)
    upload = (await _start(client, owner, "image/png", len(png_bytes()))).json()
    assert (await _send(upload, png_bytes())).status_code == 200

    assert _problem(await _adopt(client, thief, upload["upload_key"]), 403) == "avatar_upload_not_yours"
    assert await _avatar_key(db, thief["user"]["id"]) is None
    assert (await _adopt(client, owner, upload["upload_key"])).status_code == 200  # still the owner's to adopt


@pytest.mark.parametrize(
    "key",
    [
        "avatars/{user}/00000000-0000-0000-0000-000000000000.png",
        "avatar-uploads/{user}/00000000-0000-0000-0000-000000000000.gif",
        "avatar-uploads/{user}/../../avatars/x.png",
        "somewhere/else.png",
    ],
)
async def test_only_upload_keys_are_adopted(client: Client, key: str) -> None:
    tokens = await register(client)
    response = await _adopt(client, tokens, key.format(user=tokens["user"]["id"]))
    assert _problem(response, 422) == "unknown_avatar_upload"


async def test_signing_in_is_required(client: Client) -> None:
    response = await client.post("/v1/me/avatar/uploads", json={"content_type": "image/png", "size": 10})
    assert response.status_code == 401
    assert (await client.put("/v1/me/avatar", json={"upload_key": "x"})).status_code == 401
    assert (await client.delete("/v1/me/avatar")).status_code == 401


async def test_storage_down_is_503_and_keeps_the_old_avatar(
    client: Client, settings: Settings, db: Database, integrations: Integrations
) -> None:
    tokens = await register(client)
    await _upload(client, tokens, png_bytes(), "image/png")
    key = await _avatar_key(db, tokens["user"]["id"])
    pending = (await _start(client, tokens, "image/jpeg", len(jpeg_bytes()))).json()
    assert (await _send(pending, jpeg_bytes())).status_code == 200
    down = S3ObjectStorage(
        endpoint=f"127.0.0.1:{closed_port()}", access_key="key", secret_key="secret-key", bucket="down", timeout_s=1
    )
    app = create_app(settings, Integrations(**{**_fields(integrations), "storage": down}))
    async with AsyncTestClient(app) as broken:
        started = await _start(broken, tokens, "image/jpeg", len(jpeg_bytes()))
        adopted = await _adopt(broken, tokens, pending["upload_key"])
    assert _problem(started, 503) == "storage_unavailable"
    assert _problem(adopted, 503) == "storage_unavailable"
    assert await _avatar_key(db, tokens["user"]["id"]) == key
    assert (await _adopt(client, tokens, pending["upload_key"])).status_code == 200  # kept for a retry


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
    await _upload(client, tokens, image, "image/png")

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
    """The real S3 server stopped under a running app: adopting an upload is 503 problem+json and
    changes nothing, every other route answers as before; once it is back the same app takes avatars again."""
    data_dir = tmp_path / "storage"
    with run_storage_server(data_dir) as server:
        port = int(server.endpoint.rsplit(":", 1)[1])
        storage = s3_storage(server, bucket="outage", timeout_s=2)
        app = create_app(settings, Integrations(**{**_fields(integrations), "storage": storage}))
        async with AsyncTestClient(app) as client:
            tokens = await register(client)
            assert (await _upload(client, tokens, png_bytes(), "image/png")).status_code == 200
            key = await _avatar_key(db, tokens["user"]["id"])

            server.stop()
            started = await _start(client, tokens, "image/jpeg", len(jpeg_bytes()))  # presigning is local
            adopted = await _adopt(client, tokens, started.json()["upload_key"])
            assert _problem(adopted, 503) == "storage_unavailable"
            assert await _avatar_key(db, tokens["user"]["id"]) == key
            for path, headers in (
                ("/v1/me", bearer(tokens)),
                ("/v1/notifications", bearer(tokens)),
                ("/v1/experts", {}),
                ("/readyz", {}),
            ):
                assert (await client.get(path, headers=headers)).status_code == 200, path

            with run_storage_server(data_dir, port=port):
                assert (await _upload(client, tokens, jpeg_bytes(), "image/jpeg")).status_code == 200
                assert await _avatar_key(db, tokens["user"]["id"]) not in (None, key)
