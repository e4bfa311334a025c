"""Which uploads are avatars: the type comes from the bytes, and a declared type must agree."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procus.domain.avatars import (
    ImageType,
    UploadKey,
    avatar_key,
    avatar_upload_key,
    check_avatar,
    check_declared_upload,
    parse_upload_key,
    sniff_image_type,
)
from procus.domain.errors import InvalidInput
from tests.support.storage import jpeg_bytes, png_bytes, webp_bytes

SAMPLES = {ImageType.PNG: png_bytes(), ImageType.JPEG: jpeg_bytes(), ImageType.WEBP: webp_bytes()}
SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"RIFF")


@pytest.mark.parametrize("image", list(ImageType))
def test_each_accepted_type_is_recognised_by_its_bytes(image: ImageType) -> None:
    assert sniff_image_type(SAMPLES[image]) is image
    assert check_avatar(SAMPLES[image], image.value, max_bytes=10_000) is image
    assert check_avatar(SAMPLES[image], None, max_bytes=10_000) is image
    assert check_avatar(SAMPLES[image], "application/octet-stream", max_bytes=10_000) is image


@given(st.binary(max_size=64).filter(lambda data: not data.startswith(SIGNATURES)))
def test_bytes_without_a_known_signature_are_no_image(data: bytes) -> None:
    assert sniff_image_type(data) is None


@given(st.sampled_from(list(ImageType)), st.binary(max_size=64))
def test_anything_after_a_signature_keeps_the_type(image: ImageType, tail: bytes) -> None:
    assert sniff_image_type(SAMPLES[image] + tail) is image


def test_webp_needs_its_form_type_not_just_riff() -> None:
    wave = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 20
    assert sniff_image_type(wave) is None


@pytest.mark.parametrize(
    ("data", "content_type", "code"),
    [
        (b"", "image/png", "avatar_missing"),
        (png_bytes(), "image/gif", "unsupported_avatar_type"),
        (png_bytes(), "text/html", "unsupported_avatar_type"),
        (b"<html>not an image</html>", "image/png", "unsupported_avatar_type"),
        (b"GIF89a\x01\x00\x01\x00", None, "unsupported_avatar_type"),
        (png_bytes(), "image/jpeg", "avatar_type_mismatch"),
        (jpeg_bytes(), "image/webp", "avatar_type_mismatch"),
        (png_bytes(padding=200), "image/png", "avatar_too_large"),
    ],
)
def test_rejections_say_why(data: bytes, content_type: str | None, code: str) -> None:
    with pytest.raises(InvalidInput) as rejected:
        check_avatar(data, content_type, max_bytes=200)
    assert rejected.value.code == code


def test_declared_types_are_read_leniently() -> None:
    assert check_avatar(jpeg_bytes(), "IMAGE/JPG; charset=binary", max_bytes=10_000) is ImageType.JPEG


def test_the_size_limit_is_inclusive() -> None:
    data = png_bytes()
    assert check_avatar(data, "image/png", max_bytes=len(data)) is ImageType.PNG
    with pytest.raises(InvalidInput):
        check_avatar(data, "image/png", max_bytes=len(data) - 1)


def test_keys_are_per_user_and_per_upload() -> None:
    user, upload = uuid.uuid4(), uuid.uuid4()
    assert avatar_key(user, ImageType.JPEG, upload) == f"avatars/{user}/{upload}.jpg"
    assert avatar_key(user, ImageType.WEBP, upload).endswith(".webp")


def test_uploads_are_judged_by_their_declared_type_and_size_before_they_are_sent() -> None:
    assert check_declared_upload("Image/JPG", 10, max_bytes=10) is ImageType.JPEG
    for content_type, size, code, field in [
        ("image/png", 11, "avatar_too_large", "size"),
        ("application/octet-stream", 10, "unsupported_avatar_type", "content_type"),
        ("image/gif", 10, "unsupported_avatar_type", "content_type"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            check_declared_upload(content_type, size, max_bytes=10)
        assert (refused.value.code, refused.value.field) == (code, field)


def test_upload_keys_name_their_owner_and_declared_type() -> None:
    user, upload = uuid.uuid4(), uuid.uuid4()
    key = avatar_upload_key(user, ImageType.WEBP, upload)
    assert key == f"avatar-uploads/{user}/{upload}.webp"
    assert parse_upload_key(key) == UploadKey(owner=user, image=ImageType.WEBP)
    for other in (avatar_key(user, ImageType.PNG, upload), f"{key}/x", key.replace(".webp", ".gif"), "x"):
        with pytest.raises(InvalidInput) as refused:
            parse_upload_key(other)
        assert refused.value.code == "unknown_avatar_upload"
