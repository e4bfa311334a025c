"""S3ObjectStorage against the real S3 server the suite runs on loopback."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from procus.domain.errors import ServiceUnavailable
from procus.integrations.storage import S3ObjectStorage
from procus_devstack.storage_server import StorageServer
from tests.support.storage import closed_port, png_bytes, s3_storage

TTL = dt.timedelta(minutes=5)


def _key() -> str:
    return f"tests/{uuid.uuid4()}.png"


async def _fetch(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.get(url)


async def test_put_then_presigned_get_returns_the_bytes_and_type(storage: S3ObjectStorage) -> None:
    key, data = _key(), png_bytes(padding=5000)
    await storage.put(key, data, "image/png")

    url = await storage.presigned_get_url(key, TTL)
    response = await _fetch(url)

    assert response.status_code == 200
    assert response.content == data
    assert response.headers["content-type"] == "image/png"
    assert urlsplit(url).hostname == "127.0.0.1"
    assert parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["300"]


async def test_put_replaces_the_object_under_the_same_key(storage: S3ObjectStorage) -> None:
    key = _key()
    await storage.put(key, b"first", "text/plain")
    await storage.put(key, b"second", "text/plain")
    assert (await _fetch(await storage.presigned_get_url(key, TTL))).content == b"second"


async def test_delete_removes_the_object_and_tolerates_missing_keys(storage: S3ObjectStorage) -> None:
    key = _key()
    await storage.put(key, png_bytes(), "image/png")
    url = await storage.presigned_get_url(key, TTL)

    await storage.delete(key)
    await storage.delete(key)
    await storage.delete(_key())

    assert (await _fetch(url)).status_code == 404


async def test_a_tampered_presigned_url_is_refused(storage: S3ObjectStorage) -> None:
    key = _key()
    await storage.put(key, png_bytes(), "image/png")
    url = await storage.presigned_get_url(key, TTL)
    other = _key()
    await storage.put(other, b"secret", "text/plain")

    response = await _fetch(url.replace(key, other))

    assert response.status_code == 403


async def test_first_put_creates_the_bucket(storage_server: StorageServer) -> None:
    fresh = s3_storage(storage_server, bucket=f"fresh-{uuid.uuid4().hex[:12]}")
    try:
        key = _key()
        await fresh.put(key, b"hello", "text/plain")
        await fresh.ensure_bucket()
        assert (await _fetch(await fresh.presigned_get_url(key, TTL))).content == b"hello"
    finally:
        await fresh.aclose()


async def test_urls_are_signed_for_the_public_address_without_calling_the_storage(
    storage: S3ObjectStorage, storage_server: StorageServer
) -> None:
    """Inside docker compose the API reaches the storage by one name and browsers by another."""
    key = _key()
    await storage.put(key, b"public", "text/plain")
    signer = s3_storage(storage_server, public_url=storage_server.url)
    unreachable = S3ObjectStorage(
        endpoint=f"127.0.0.1:{closed_port()}",
        access_key=storage_server.access_key,
        secret_key=storage_server.secret_key,
        bucket=storage.bucket,
        public_url=storage_server.url,
    )
    try:
        url = await unreachable.presigned_get_url(key, TTL)
        assert urlsplit(url).netloc == storage_server.endpoint
        assert (await _fetch(url)).content == b"public"
        assert (await _fetch(await signer.presigned_get_url(key, TTL))).content == b"public"
    finally:
        await unreachable.aclose()
        await signer.aclose()


async def test_an_unreachable_server_is_service_unavailable() -> None:
    down = S3ObjectStorage(
        endpoint=f"127.0.0.1:{closed_port()}", access_key="key", secret_key="secret-key", bucket="down", timeout_s=1
    )
    calls: list[Callable[[], Awaitable[None]]] = [
        down.ensure_bucket,
        lambda: down.put("k", b"x", "text/plain"),
        lambda: down.delete("k"),
    ]
    try:
        for call in calls:
            with pytest.raises(ServiceUnavailable) as failed:
                await call()
            assert failed.value.code == "storage_unavailable"
    finally:
        await down.aclose()


async def test_wrong_credentials_are_service_unavailable(storage_server: StorageServer) -> None:
    wrong = S3ObjectStorage(
        endpoint=storage_server.endpoint, access_key="nobody", secret_key="not-the-secret", bucket="procus-test"
    )
    try:
        with pytest.raises(ServiceUnavailable) as failed:
            await wrong.put(_key(), b"x", "text/plain")
        assert failed.value.code == "storage_unavailable"
    finally:
        await wrong.aclose()
