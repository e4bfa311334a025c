import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, test } from "vitest";
import { createMemoryRouter, RouterProvider } from "react-router";
import { useSession } from "@/api/session";
import { SignUpPage } from "./sign-up";

const user = { id: "u1", email: "ada@example.com", full_name: "Ada", role: "client", time_zone: "UTC", locale: "en", email_verified: false, created_at: "" };
const tokens = { access_token: "t", token_type: "bearer", expires_in: 900, expires_at: "", refresh_token: null, refresh_expires_at: "", session_id: "s", user };
let taken = false;
const registered: unknown[] = [];
const server = setupServer(
  http.get("*/v1/auth/providers", () => HttpResponse.json({ google_client_id: null })),
  http.post("*/v1/auth/register", async ({ request }) => {
    registered.push(await request.json());
    return HttpResponse.json({ email: "ada@example.com", next_step: "check_email" }, { status: 202 });
  }),
  http.post("*/v1/auth/login", () =>
    taken
      ? HttpResponse.json({ status: 401, code: "invalid_credentials", detail: "Wrong email or password" }, { status: 401, headers: { "Content-Type": "application/problem+json" } })
      : HttpResponse.json(tokens),
  ),
);

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
afterEach(() => {
  registered.length = 0;
  useSession.getState().signedOut();
});

async function signUp() {
  const router = createMemoryRouter(
    [
      { path: "/sign-up", element: <SignUpPage /> },
      { path: "/experts", element: <p>directory</p> },
    ],
    { initialEntries: ["/sign-up?next=/experts"] },
  );
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  const person = userEvent.setup();
  await person.type(await screen.findByLabelText("Full name"), "Ada Lovelace");
  await person.type(screen.getByLabelText("Email"), "ada@example.com");
  await person.type(screen.getByLabelText("Password"), "correct horse battery");
  await person.click(screen.getByRole("button", { name: "Create account" }));
}

test("a new account is signed in with the password just chosen and goes on", async () => {
  taken = false;
  await signUp();
  expect(await screen.findByText("directory")).toBeInTheDocument();
  expect(registered).toEqual([expect.objectContaining({ email: "ada@example.com", role: "client" })]);
  expect(useSession.getState()).toMatchObject({ status: "signed-in", accessToken: "t" });
});

test("an address that already has an account is told to check its email, not that it is taken", async () => {
  taken = true;
  await signUp();
  expect(await screen.findByRole("heading", { name: "Check your email" })).toBeInTheDocument();
  expect(screen.getByText("We have sent a message to ada@example.com.")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Forgot your password?" })).toHaveAttribute("href", "/forgot-password");
  expect(useSession.getState().status).not.toBe("signed-in");
});
