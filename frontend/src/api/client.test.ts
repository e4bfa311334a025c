import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "vitest";
import { api } from "./client";
import { useSession, type Tokens } from "./session";
import { unwrap } from "@/lib/problem";

const user: Tokens["user"] = {
  id: "u1", email: "a@example.com", full_name: "Ada", role: "client", time_zone: "UTC", locale: "en", email_verified: true, created_at: "2026-01-01T00:00:00Z",
};

function tokens(access: string): Tokens {
  return { access_token: access, token_type: "bearer", expires_in: 900, expires_at: "", refresh_token: "r", refresh_expires_at: "", session_id: "s", user };
}

let refreshes = 0;
let refreshWorks = true;
const server = setupServer(
  http.post("*/v1/auth/refresh", async () => {
    refreshes += 1;
    await new Promise((r) => setTimeout(r, 20));
    return refreshWorks
      ? HttpResponse.json(tokens("fresh"))
      : HttpResponse.json({ status: 401, code: "refresh_token_invalid", detail: "Sign in again" }, { status: 401 });
  }),
  http.get("*/v1/me", ({ request }) =>
    request.headers.get("authorization") === "Bearer fresh"
      ? HttpResponse.json({ ...user, avatar_url: null })
      : HttpResponse.json({ status: 401, code: "token_expired", detail: "expired" }, { status: 401, headers: { "content-type": "application/problem+json" } }),
  ),
);

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
afterEach(() => server.resetHandlers());
beforeEach(() => {
  refreshes = 0;
  refreshWorks = true;
  useSession.setState({ status: "signed-in", accessToken: "stale", user });
});

test("many requests that get 401 at once share one refresh, then each retries once", async () => {
  const results = await Promise.all(Array.from({ length: 5 }, async () => unwrap(await api.GET("/v1/me"))));
  expect(refreshes).toBe(1);
  expect(results.map((r) => r.full_name)).toEqual(Array(5).fill("Ada"));
  expect(useSession.getState().accessToken).toBe("fresh");
});

test("a failed refresh signs out and the requests fail with the API's problem", async () => {
  refreshWorks = false;
  const results = await Promise.all(Array.from({ length: 3 }, () => api.GET("/v1/me")));
  expect(refreshes).toBe(1);
  expect(results.every((r) => r.response.status === 401)).toBe(true);
  expect(() => unwrap(results[0]!)).toThrow("expired");
  expect(useSession.getState()).toMatchObject({ status: "signed-out", accessToken: null, user: null });
});

test("a 401 after another request already refreshed retries with the new token without refreshing again", async () => {
  await api.GET("/v1/me");
  expect(refreshes).toBe(1);
  useSession.setState({ accessToken: "stale" });
  const late = api.GET("/v1/me");
  useSession.setState({ accessToken: "fresh" });
  expect((await late).data?.full_name).toBe("Ada");
  expect(refreshes).toBe(1);
});
