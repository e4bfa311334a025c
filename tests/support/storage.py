"""The real S3 server for tests (see procus_devstack.storage_server), and small image samples."""

from __future__ import annotations

import socket
import struct
import zlib

from procus.integrations.storage import S3ObjectStorage
from procus_devstack.storage_server import StorageServer

__all__ = ["TEST_BUCKET", "closed_port", "jpeg_bytes", "png_bytes", "s3_storage", "webp_bytes"]

TEST_BUCKET = "procus-test"


def s3_storage(server: StorageServer, *, bucket: str = TEST_BUCKET, **options: object) -> S3ObjectStorage:
    return S3ObjectStorage(
        endpoint=server.endpoint,
        access_key=server.access_key,
        secret_key=server.secret_key,
        bucket=bucket,
        **options,  # type: ignore[arg-type]
    )


def closed_port() -> int:
    """A loopback port nobody listens on (connections are refused at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(width: int = 2, height: int = 2, *, padding: int = 0) -> bytes:
    """A valid RGB PNG; ``padding`` adds an ancillary text chunk to reach a given size."""
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", zlib.compress(rows))
    if padding:
        chunks += _png_chunk(b"tEXt", b"pad\x00" + b"x" * padding)
    return b"\x89PNG\r\n\x1a\n" + chunks + _png_chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """The start of a JFIF file: enough for the type check, which reads only the signature."""
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"


def webp_bytes() -> bytes:
    body = b"WEBPVP8 " + struct.pack("<I", 10) + b"\x00" * 10
    return b"RIFF" + struct.pack("<I", len(body)) + body
