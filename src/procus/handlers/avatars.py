"""/v1/me/avatar: the signed-in user's profile picture."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Controller, Request, delete, put
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import OpenAPIFormat, OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema

from procus.domain.accounts import Principal
from procus.domain.avatars import ImageType, avatar_too_large
from procus.domain.errors import InvalidInput
from procus.services.accounts.avatars import AvatarService

__all__ = ["AvatarController", "AvatarOut"]

_MULTIPART_ENVELOPE = 16 * 1024
"""Room for the part headers and boundaries around the file in a multipart upload."""


class AvatarOut(msgspec.Struct, frozen=True):
    avatar_url: str


@dataclass
class _AvatarUpload(Operation):
    """The request body in the API document: the handler reads it itself, so Litestar cannot infer it."""

    def __post_init__(self) -> None:
        binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
        content = {image.value: OpenAPIMediaType(schema=binary) for image in ImageType}
        form = Schema(type=OpenAPIType.OBJECT, properties={"file": binary}, required=["file"])
        content[RequestEncodingType.MULTI_PART.value] = OpenAPIMediaType(schema=form)
        self.request_body = RequestBody(content=content, required=True)


async def _read_image(request: Request[Any, Any, Any], max_bytes: int) -> tuple[bytes, str | None]:
    """The uploaded bytes and their declared type. A body announced or streamed past the limit is
    refused before it is read in full."""
    media_type, _ = request.content_type
    multipart = media_type == RequestEncodingType.MULTI_PART
    announced = request.content_length
    if announced is not None and announced > max_bytes + (_MULTIPART_ENVELOPE if multipart else 0):
        raise avatar_too_large(max_bytes)
    if multipart:
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("avatar_missing", "Send the image in the form field 'file'", field="file")
        try:
            return await upload.read(), upload.content_type
        finally:
            await upload.close()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise avatar_too_large(max_bytes)
        chunks.append(chunk)
    return b"".join(chunks), request.headers.get("content-type")


class AvatarController(Controller):
    path = "/v1/me/avatar"
    tags = ["account"]

    @put(
        operation_id="putMyAvatar",
        operation_class=_AvatarUpload,
        description=(
            "Upload a PNG, JPEG or WebP image (at most `AVATAR_MAX_BYTES`) as the raw body with its Content-Type,"
            " or as the field `file` of a multipart/form-data body. The bytes must be the image the type names."
            " Replaces any earlier avatar and answers with a short-lived URL to the image."
        ),
    )
    async def put_avatar(
        self, request: Request[Any, Any, Any], avatars: AvatarService, principal: Principal
    ) -> AvatarOut:
        data, content_type = await _read_image(request, avatars.max_bytes)
        return AvatarOut(avatar_url=await avatars.upload(principal, data, content_type))

    @delete(operation_id="deleteMyAvatar")
    async def delete_avatar(self, avatars: AvatarService, principal: Principal) -> None:
        await avatars.remove(principal)
