import createClient from "openapi-fetch";
import { refreshSession, useSession, type Tokens } from "./session";
import type { paths } from "./schema";

/** Endpoints whose 401 means "wrong credentials", never "access token expired". */
const NO_REFRESH = ["/v1/auth/login", "/v1/auth/register", "/v1/auth/refresh", "/v1/auth/google", "/v1/auth/logout"];

async function callRefresh(): Promise<Tokens | null> {
  const { data } = await api.POST("/v1/auth/refresh", { body: {} });
  return data ?? null;
}

function withToken(request: Request, token: string | null): Request {
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  return request;
}

/**
 * The fetch behind the one API client: it adds the access token and, on a 401, refreshes the session
 * once (shared by every request that failed at the same time) and retries the request once. When the
 * refresh fails the session store signs out, and the signed-in layout sends the user to sign in.
 */
export async function authorizedFetch(input: Request): Promise<Response> {
  const path = new URL(input.url).pathname;
  const retry = input.clone();
  const sentWith = useSession.getState().accessToken;
  const response = await fetch(withToken(input, sentWith));
  if (response.status !== 401 || NO_REFRESH.includes(path) || sentWith === null) return response;
  const current = useSession.getState().accessToken;
  const refreshed = current !== sentWith ? current !== null : await refreshSession(callRefresh);
  if (!refreshed) return response;
  return fetch(withToken(retry, useSession.getState().accessToken));
}

export const api = createClient<paths>({
  baseUrl: typeof window === "undefined" ? "http://127.0.0.1" : window.location.origin,
  credentials: "same-origin",
  fetch: (request) => authorizedFetch(request),
});

/** Restore the session from the refresh cookie (on load). */
export function restoreSession(): Promise<boolean> {
  return refreshSession(callRefresh);
}
