import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { useSession } from "@/api/session";
import { GoogleButton } from "./google-button";

let clientId: string | null = null;
const sent: unknown[] = [];
const user = { id: "u1", email: "g@example.com", full_name: "Gita", role: "client", time_zone: "UTC", locale: "en", email_verified: true, created_at: "" };
const server = setupServer(
  http.get("*/v1/auth/providers", () => HttpResponse.json({ google_client_id: clientId })),
  http.post("*/v1/auth/google", async ({ request }) => {
    sent.push(await request.json());
    return HttpResponse.json({ access_token: "t", token_type: "bearer", expires_in: 900, expires_at: "", refresh_token: null, refresh_expires_at: "", session_id: "s", user });
  }),
);

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
afterEach(() => {
  delete window.google;
  sent.length = 0;
});

function renderButton(onSignedIn = vi.fn()) {
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <p>form</p>
      <GoogleButton role="expert" onSignedIn={onSignedIn} />
    </QueryClientProvider>,
  );
  return onSignedIn;
}

test("no Google button unless the server has a client ID", async () => {
  clientId = null;
  renderButton();
  await screen.findByText("form");
  await new Promise((r) => setTimeout(r, 50));
  expect(screen.queryByRole("button", { name: "Continue with Google" })).not.toBeInTheDocument();
});

test("Google's access token is exchanged for a session", async () => {
  clientId = "1234-web.apps.googleusercontent.com";
  const initTokenClient = vi.fn((config: { client_id: string; callback: (r: { access_token?: string }) => void }) => ({
    requestAccessToken: () => config.callback({ access_token: "google-token" }),
  }));
  window.google = { accounts: { oauth2: { initTokenClient } } };
  const onSignedIn = renderButton();
  await userEvent.setup().click(await screen.findByRole("button", { name: "Continue with Google" }));
  await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalled());
  expect(initTokenClient.mock.calls[0]?.[0].client_id).toBe(clientId);
  expect(sent).toEqual([{ access_token: "google-token", role: "expert" }]);
  expect(useSession.getState()).toMatchObject({ status: "signed-in", accessToken: "t" });
});
