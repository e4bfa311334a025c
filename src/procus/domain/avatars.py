"""Avatar images: which uploads are accepted, and where they are kept.

The image type is read from the file's first bytes, never trusted from the Content-Type alone: a
declared type must agree with the bytes.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

import msgspec

from procus.domain.errors import InvalidInput

__all__ = [
    "AVATAR_PREFIX",
    "GENERIC_CONTENT_TYPES",
    "ImageType",
    "StoredObject",
    "avatar_key",
    "avatar_too_large",
    "check_avatar",
    "sniff_image_type",
]

AVATAR_PREFIX = "avatars/"

GENERIC_CONTENT_TYPES = frozenset({"", "application/octet-stream"})
"""Declared types that say nothing: the bytes decide."""


class ImageType(enum.StrEnum):
    PNG = "image/png"
    JPEG = "image/jpeg"
    WEBP = "image/webp"

    @property
    def extension(self) -> str:
        return {ImageType.PNG: "png", ImageType.JPEG: "jpg", ImageType.WEBP: "webp"}[self]


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_SIGNATURE = b"\xff\xd8\xff"
_ALIASES = {"image/jpg": ImageType.JPEG, "image/pjpeg": ImageType.JPEG}


def sniff_image_type(data: bytes) -> ImageType | None:
    if data.startswith(_PNG_SIGNATURE):
        return ImageType.PNG
    if data.startswith(_JPEG_SIGNATURE):
        return ImageType.JPEG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ImageType.WEBP
    return None


def _declared(content_type: str | None) -> ImageType | None:
    """The image type a Content-Type names (parameters ignored); None for a generic type."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in GENERIC_CONTENT_TYPES:
        return None
    if media in _ALIASES:
        return _ALIASES[media]
    try:
        return ImageType(media)
    except ValueError:
        raise InvalidInput(
            "unsupported_avatar_type", "An avatar must be a PNG, JPEG or WebP image", field="file"
        ) from None


def check_avatar(data: bytes, content_type: str | None, max_bytes: int) -> ImageType:
    """The type of an acceptable avatar, or InvalidInput saying why it is not one."""
    if not data:
        raise InvalidInput("avatar_missing", "Send the image as the request body or as the form field 'file'")
    if len(data) > max_bytes:
        raise avatar_too_large(max_bytes)
    declared = _declared(content_type)
    actual = sniff_image_type(data)
    if actual is None:
        raise InvalidInput("unsupported_avatar_type", "The file is not a PNG, JPEG or WebP image", field="file")
    if declared is not None and declared is not actual:
        raise InvalidInput(
            "avatar_type_mismatch",
            f"The file is a {actual.extension.upper()} image, not {declared.value}",
            field="file",
        )
    return actual


def avatar_too_large(max_bytes: int) -> InvalidInput:
    return InvalidInput(
        "avatar_too_large", f"An avatar may be at most {max_bytes} bytes", field="file", max_bytes=max_bytes
    )


class StoredObject(msgspec.Struct, frozen=True):
    """An object in storage, as a listing shows it."""

    key: str
    last_modified: dt.datetime


def avatar_key(user_id: uuid.UUID, image: ImageType, unique: uuid.UUID) -> str:
    """A fresh key per upload, so a replaced avatar's old URL never shows the new image (or the
    reverse, from a cache)."""
    return f"{AVATAR_PREFIX}{user_id}/{unique}.{image.extension}"
