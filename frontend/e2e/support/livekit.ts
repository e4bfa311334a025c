import { createHash, createHmac } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";

/** The development LiveKit key pair (`LIVEKIT_API_KEY` / `LIVEKIT_API_SECRET` defaults), which signs its webhooks. */
const KEY = process.env.LIVEKIT_API_KEY ?? "devkey";
const SECRET = process.env.LIVEKIT_API_SECRET ?? "procus-dev-livekit-secret-at-least-32-chars";

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString("base64url");
}

/** The Authorization LiveKit sends with a webhook: an HS256 JWT whose `sha256` claim is the body's digest. */
export function signLiveKitWebhook(body: string): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const claims = base64url(JSON.stringify({ iss: KEY, nbf: now - 5, exp: now + 300, sha256: createHash("sha256").update(body).digest("base64") }));
  const signature = createHmac("sha256", SECRET).update(`${header}.${claims}`).digest("base64url");
  return `${header}.${claims}.${signature}`;
}

/** LiveKit's `participant_joined` webhook for a booking's room, as the server would post it. */
export async function participantJoined(request: APIRequestContext, bookingId: string, identity: string): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    event: "participant_joined",
    id: `EV_${Math.random().toString(36).slice(2, 14)}`,
    createdAt: String(now),
    room: { sid: "RM_e2e", name: `booking-${bookingId}` },
    participant: { sid: `PA_${identity.slice(0, 8)}`, identity, name: identity, joinedAt: String(now), joinedAtMs: String(now * 1000) },
  });
  const response = await request.post("/v1/webhooks/livekit", {
    data: body,
    headers: { "Content-Type": "application/webhook+json", Authorization: signLiveKitWebhook(body) },
  });
  const answer = await response.text();
  if (!response.ok() || !answer.includes("recorded")) throw new Error(`LiveKit webhook refused: ${response.status()} ${answer}`);
}
