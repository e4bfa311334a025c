import { restoreSession } from "./client";
import { useSession } from "./session";

/**
 * PUT a file with upload progress (fetch cannot report it), signed in like the API client: the bearer
 * token, and on a 401 one shared refresh and one retry. Resolves to the parsed JSON answer, or rejects
 * with the problem+json body and status.
 */
export function uploadWithProgress(url: string, file: Blob, onProgress: (fraction: number) => void): Promise<unknown> {
  const send = (): Promise<{ status: number; body: unknown }> =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", url);
      const token = useSession.getState().accessToken;
      if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
      xhr.setRequestHeader("Content-Type", file.type);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          body = { detail: xhr.responseText };
        }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => reject(new TypeError("network error"));
      xhr.send(file);
    });
  return send().then(async (first) => {
    const answer = first.status === 401 && (await restoreSession()) ? await send() : first;
    if (answer.status >= 400) throw Object.assign(new Error("upload failed"), { status: answer.status, body: answer.body });
    return answer.body;
  });
}
