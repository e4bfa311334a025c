"""Avatar images: which uploads are accepted, and where they are kept.

The browser uploads straight to storage under an upload key (``avatar-uploads/<user>/<id>.<ext>``),
then asks the API to adopt it. The upload key names its owner and the type declared when it was
handed out, so adopting needs no record of pending uploads. The image type is read from the file's
first bytes, never trusted from the Content-Type alone: the declared type must agree with the bytes.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import uuid

import msgspec

from procus.domain.errors import InvalidInput

__all__ = [
    "AVATAR_PREFIX",
    "AVATAR_UPLOAD_PREFIX",
    "GENERIC_CONTENT_TYPES",
    "FetchedObject",
    "ImageType",
    "StoredObject",
    "UploadKey",
    "avatar_key",
    "avatar_too_large",
    "avatar_upload_key",
    "check_avatar",
    "check_declared_upload",
    "parse_upload_key",
    "sniff_image_type",
]

AVATAR_PREFIX = "avatars/"
AVATAR_UPLOAD_PREFIX = "avatar-uploads/"
"""Where browsers put images before the API checks and adopts them; nothing here is ever shown."""

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


def _declared(content_type: str | None, field: str = "file") -> ImageType | None:
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
            "unsupported_avatar_type", "An avatar must be a PNG, JPEG or WebP image", field=field
        ) from None


def check_declared_upload(content_type: str, size: int, max_bytes: int) -> ImageType:
    """The image type an upload may be sent as, judged before any byte is sent: the type must name
    a PNG, JPEG or WebP image (a generic type is refused, since storage keeps what the browser says)
    and the announced size must be within the limit."""
    if size > max_bytes:
        raise avatar_too_large(max_bytes, field="size")
    declared = _declared(content_type, field="content_type")
    if declared is None:
        raise InvalidInput(
            "unsupported_avatar_type", "An avatar must be a PNG, JPEG or WebP image", field="content_type"
        )
    return declared


def check_avatar(data: bytes, content_type: str | None, max_bytes: int) -> ImageType:
    """The type of an acceptable avatar, or InvalidInput saying why it is not one."""
    if not data:
        raise InvalidInput("avatar_missing", "The uploaded file is empty", field="file")
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


def avatar_too_large(max_bytes: int, field: str = "file") -> InvalidInput:
    return InvalidInput(
        "avatar_too_large", f"An avatar may be at most {max_bytes} bytes", field=field, max_bytes=max_bytes
    )


class StoredObject(msgspec.Struct, frozen=True):
    """An object in storage, as a listing shows it."""

    key: str
    last_modified: dt.datetime


class FetchedObject(msgspec.Struct, frozen=True):
    """An object read back from storage; ``data`` is None when it was larger than the reader allowed
    (and so was not read)."""

    size: int
    data: bytes | None


class UploadKey(msgspec.Struct, frozen=True):
    """What an upload key says: whose upload it is and the type declared for it."""

    owner: uuid.UUID
    image: ImageType


_UPLOAD_KEY = re.compile(
    rf"^{re.escape(AVATAR_UPLOAD_PREFIX)}(?P<owner>[0-9a-f-]{{36}})/[0-9a-f-]{{36}}\.(?P<extension>[a-z]+)$"
)


def avatar_upload_key(user_id: uuid.UUID, image: ImageType, unique: uuid.UUID) -> str:
    return f"{AVATAR_UPLOAD_PREFIX}{user_id}/{unique}.{image.extension}"


def parse_upload_key(key: str) -> UploadKey:
    """The owner and type an upload key names, or InvalidInput if it is not one we hand out."""
    match = _UPLOAD_KEY.match(key)
    by_extension = {image.extension: image for image in ImageType}
    if match is None or match["extension"] not in by_extension:
        raise InvalidInput("unknown_avatar_upload", "This is not an avatar upload key", field="upload_key")
    try:
        owner = uuid.UUID(match["owner"])
    except ValueError:
        raise InvalidInput("unknown_avatar_upload", "This is not an avatar upload key", field="upload_key") from None
    return UploadKey(owner=owner, image=by_extension[match["extension"]])


def avatar_key(user_id: uuid.UUID, image: ImageType, unique: uuid.UUID) -> str:
    """A fresh key per upload, so a replaced avatar's old URL never shows the new image (or the
    reverse, from a cache)."""
    return f"{AVATAR_PREFIX}{user_id}/{unique}.{image.extension}"
