"""/v1/me/avatar: the signed-in user's profile picture, uploaded by the browser straight to storage."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from litestar import Controller, delete, post, put

from procus.domain.accounts import Principal
from procus.services.accounts.avatars import AvatarService

__all__ = ["AvatarController", "AvatarOut", "AvatarUploadIn", "AvatarUploadOut", "AvatarUploadRef"]


class AvatarOut(msgspec.Struct, frozen=True):
    avatar_url: str


class AvatarUploadIn(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    content_type: Annotated[str, msgspec.Meta(max_length=100, description="image/png, image/jpeg or image/webp")]
    size: Annotated[int, msgspec.Meta(ge=1, description="The file's size in bytes, at most `AVATAR_MAX_BYTES`")]


class AvatarUploadOut(msgspec.Struct, frozen=True):
    upload_key: Annotated[str, msgspec.Meta(description="Send it to PUT /v1/me/avatar once the file is uploaded")]
    upload_url: Annotated[str, msgspec.Meta(description="PUT the file's bytes here, with no credentials")]
    method: Annotated[str, msgspec.Meta(description="Always PUT")]
    headers: Annotated[dict[str, str], msgspec.Meta(description="Headers to send with the upload (Content-Type)")]
    expires_at: dt.datetime
    max_bytes: int


class AvatarUploadRef(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    upload_key: Annotated[str, msgspec.Meta(max_length=200)]


class AvatarController(Controller):
    path = "/v1/me/avatar"
    tags = ["account"]

    @post(
        "/uploads",
        operation_id="startMyAvatarUpload",
        description=(
            "Step 1 of 3: declare a PNG, JPEG or WebP image and its size (at most `AVATAR_MAX_BYTES`) and get a"
            " presigned URL to PUT it to storage directly (step 2), with the given headers, before `expires_at`."
            " Step 3 is PUT /v1/me/avatar with the `upload_key`."
        ),
    )
    async def start_upload(self, data: AvatarUploadIn, avatars: AvatarService, principal: Principal) -> AvatarUploadOut:
        upload = await avatars.start_upload(principal, data.content_type, data.size)
        return AvatarUploadOut(
            upload_key=upload.key,
            upload_url=upload.url,
            method="PUT",
            headers={"Content-Type": upload.content_type.value},
            expires_at=upload.expires_at,
            max_bytes=upload.max_bytes,
        )

    @put(
        operation_id="putMyAvatar",
        description=(
            "Make an uploaded image (POST /v1/me/avatar/uploads) the avatar. Its bytes are checked: within the size"
            " limit and really the image type declared for it. Replaces any earlier avatar and answers with a"
            " short-lived URL to the image; an upload that is refused is deleted, one never adopted is swept away."
        ),
    )
    async def put_avatar(self, data: AvatarUploadRef, avatars: AvatarService, principal: Principal) -> AvatarOut:
        return AvatarOut(avatar_url=await avatars.adopt_upload(principal, data.upload_key))

    @delete(operation_id="deleteMyAvatar")
    async def delete_avatar(self, avatars: AvatarService, principal: Principal) -> None:
        await avatars.remove(principal)
