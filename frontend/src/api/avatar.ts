import { api } from "./client";
import { toProblem, unwrap } from "@/lib/problem";
import type { components } from "./schema";

export type AvatarUploadTicket = components["schemas"]["AvatarUploadOut"];

export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp"];
/**
 * The API's default limit (`AVATAR_MAX_BYTES`, `procus.domain.limits`), checked here only to spare a
 * pointless upload: the API refuses an oversized file again when asked for the upload and when adopting it.
 */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MB`;

/** Why a chosen file cannot be an avatar, checked before anything is sent; null when it can. */
export function avatarProblem(file: File): string | null {
  if (!AVATAR_TYPES.includes(file.type)) return "Choose a PNG, JPEG or WebP image.";
  if (file.size > AVATAR_MAX_BYTES) return `The image is ${megabytes(file.size)}; the limit is ${megabytes(AVATAR_MAX_BYTES)}.`;
  return null;
}

/**
 * PUT the file to the presigned storage URL with XMLHttpRequest, the one browser API that reports
 * upload progress. No credentials of ours go with it: the URL's signature is the permission.
 */
export function sendToStorage(ticket: AvatarUploadTicket, file: Blob, onProgress: (fraction: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.method, ticket.upload_url);
    for (const [name, value] of Object.entries(ticket.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else reject(toProblem({ detail: `The storage refused the upload (${xhr.status}). Try again.` }, new Response(null, { status: xhr.status })));
    };
    xhr.onerror = () => reject(toProblem({ detail: "The upload did not reach the storage. Check your connection and try again." }));
    xhr.send(file);
  });
}

/**
 * Make `file` the signed-in user's avatar in three steps: ask the API for a presigned upload (it
 * checks the type and size first), send the file straight to storage, then have the API check the
 * bytes and adopt them. Resolves to a URL of the new picture.
 */
export async function uploadAvatar(file: File, onProgress: (fraction: number) => void): Promise<string> {
  const ticket = unwrap(await api.POST("/v1/me/avatar/uploads", { body: { content_type: file.type, size: file.size } }));
  await sendToStorage(ticket, file, onProgress);
  return unwrap(await api.PUT("/v1/me/avatar", { body: { upload_key: ticket.upload_key } })).avatar_url;
}

export async function removeAvatar(): Promise<void> {
  unwrap(await api.DELETE("/v1/me/avatar"));
}
