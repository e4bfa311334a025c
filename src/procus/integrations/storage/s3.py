"""Object storage on any S3-compatible server (MinIO, AWS S3, ...) through the ``minio`` client.

The client is synchronous, so every call runs in a worker thread. Presigned URLs are signed for
the host browsers use (``public_url``), which may differ from the one the API reaches (inside
docker compose: ``minio:9000`` for the API, ``127.0.0.1:9000`` for the browser). Signing needs no
network call because the region is configured rather than looked up.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

import certifi
import urllib3
from minio import Minio
from minio.error import MinioException, S3Error

from procus.domain.avatars import FetchedObject, StoredObject
from procus.domain.errors import ServiceUnavailable

if TYPE_CHECKING:
    from procus.config import Settings

__all__ = ["S3ObjectStorage"]

_log = logging.getLogger("procus.storage")
_T = TypeVar("_T")
_BUCKET_EXISTS = frozenset({"BucketAlreadyOwnedByYou", "BucketAlreadyExists"})
_MISSING = frozenset({"NoSuchKey", "NoSuchBucket"})


def _http_pool(timeout_s: float) -> urllib3.PoolManager:
    """Short timeouts and a single retry: a request waits on the storage, so failing fast beats
    minio's default of five minutes and five retries."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout_s, read=timeout_s),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=urllib3.Retry(total=1, backoff_factor=0.1, status_forcelist=[500, 502, 503, 504]),
    )


class S3ObjectStorage:
    def __init__(
        self,
        *,
        endpoint: str,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool = False,
        region: str = "us-east-1",
        public_url: str = "",
        timeout_s: float = 5.0,
    ) -> None:
        self._bucket = bucket
        self._region = region
        self._http = _http_pool(timeout_s)
        self._client = Minio(
            endpoint, access_key=access_key, secret_key=secret_key, secure=secure, region=region, http_client=self._http
        )
        self._signer = self._client
        if public_url:
            public = urlsplit(public_url)
            self._signer = Minio(
                public.netloc,
                access_key=access_key,
                secret_key=secret_key,
                secure=public.scheme == "https",
                region=region,
                http_client=self._http,
            )
        self._bucket_ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> S3ObjectStorage:
        return cls(
            endpoint=settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            bucket=settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
            public_url=settings.s3_public_url,
            timeout_s=settings.s3_timeout_seconds,
        )

    @property
    def bucket(self) -> str:
        return self._bucket

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        if not self._bucket_ready:
            await self.ensure_bucket()
        await self._call(
            lambda: self._client.put_object(self._bucket, key, io.BytesIO(data), len(data), content_type=content_type),
        )

    async def fetch(self, key: str, max_bytes: int) -> FetchedObject | None:
        return await self._call(lambda: self._fetch(key, max_bytes))

    async def presigned_put_url(self, key: str, expires: dt.timedelta) -> str:
        if not self._bucket_ready:
            await self.ensure_bucket()
        url: str = await self._call(lambda: self._signer.presigned_put_object(self._bucket, key, expires=expires))
        return url

    async def presigned_get_url(self, key: str, expires: dt.timedelta) -> str:
        url: str = await self._call(lambda: self._signer.presigned_get_object(self._bucket, key, expires=expires))
        return url

    async def list_objects(self, prefix: str) -> list[StoredObject]:
        if not self._bucket_ready:
            await self.ensure_bucket()
        return await self._call(lambda: self._list(prefix))

    async def delete(self, key: str) -> None:
        await self._call(lambda: self._client.remove_object(self._bucket, key))

    async def ensure_bucket(self) -> None:
        await self._call(self._create_bucket)
        self._bucket_ready = True

    async def aclose(self) -> None:
        self._http.clear()

    def _list(self, prefix: str) -> list[StoredObject]:
        listing = self._client.list_objects(self._bucket, prefix=prefix, recursive=True)
        return [
            StoredObject(item.object_name, item.last_modified)
            for item in listing
            if item.object_name is not None and item.last_modified is not None
        ]

    def _fetch(self, key: str, max_bytes: int) -> FetchedObject | None:
        try:
            response = self._client.get_object(self._bucket, key)
        except S3Error as exc:
            if exc.code in _MISSING:
                return None
            raise
        try:
            size = int(response.headers.get("Content-Length", "0"))
            if size > max_bytes:
                return FetchedObject(size=size, data=None)
            data = response.read(max_bytes + 1)
            return FetchedObject(size=len(data), data=data if len(data) <= max_bytes else None)
        finally:
            response.close()
            response.release_conn()

    def _create_bucket(self) -> None:
        if self._client.bucket_exists(self._bucket):
            return
        try:
            self._client.make_bucket(self._bucket, location=self._region)
        except S3Error as exc:
            if exc.code not in _BUCKET_EXISTS:
                raise

    async def _call(self, operation: Callable[[], _T]) -> _T:
        try:
            return await asyncio.to_thread(operation)
        except (MinioException, urllib3.exceptions.HTTPError, OSError) as exc:
            _log.warning("object storage call failed: %s", exc)
            raise ServiceUnavailable("storage_unavailable", "File storage is unavailable; try again shortly") from exc
