import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "vitest";
import { useSession } from "@/api/session";
import { NotesEditor } from "./notes-editor";

interface Stored {
  body: string;
  version: number;
  updated_at: string | null;
}

/** The API's notes for one call, with its version check: a save based on another version gets 409. */
let stored: Stored;
const saves: { body: string; base_version: number }[] = [];
const server = setupServer(
  http.get("*/v1/calls/b1/notes", () => HttpResponse.json(stored)),
  http.put("*/v1/calls/b1/notes", async ({ request }) => {
    const body = (await request.json()) as { body: string; base_version: number };
    saves.push(body);
    if (body.base_version !== stored.version) {
      return HttpResponse.json(
        { status: 409, code: "notes_changed", detail: "These notes were changed elsewhere", current: stored },
        { status: 409, headers: { "content-type": "application/problem+json" } },
      );
    }
    stored = { body: body.body, version: stored.version + 1, updated_at: new Date().toISOString() };
    return HttpResponse.json(stored);
  }),
);

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
afterEach(() => server.resetHandlers());
beforeEach(() => {
  stored = { body: "Agenda", version: 1, updated_at: "2027-01-04T09:00:00Z" };
  saves.length = 0;
  useSession.setState({ status: "signed-in", accessToken: "token", user: null });
});

function renderEditor() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <NotesEditor bookingId="b1" />
    </QueryClientProvider>,
  );
}

test("typing saves by itself, based on the version it started from", async () => {
  renderEditor();
  const box = await screen.findByDisplayValue("Agenda");
  await userEvent.type(box, ", pricing");
  await waitFor(() => expect(screen.getByTestId("notes-status")).toHaveTextContent("All changes saved"), { timeout: 3000 });
  expect(saves.at(-1)).toEqual({ body: "Agenda, pricing", base_version: 1 });
  expect(stored).toMatchObject({ body: "Agenda, pricing", version: 2 });
});

test("a save over another tab's newer notes shows both versions and overwrites nothing until I choose", async () => {
  renderEditor();
  const box = await screen.findByDisplayValue("Agenda");
  stored = { body: "Agenda + written in the other tab", version: 2, updated_at: "2027-01-04T09:05:00Z" };
  await userEvent.type(box, " + mine");
  const alert = await screen.findByRole("alert", {}, { timeout: 3000 });
  expect(alert).toHaveTextContent("changed in another tab");
  expect(screen.getByTestId("notes-mine")).toHaveTextContent("Agenda + mine");
  expect(screen.getByTestId("notes-theirs")).toHaveTextContent("Agenda + written in the other tab");
  expect(stored.body).toBe("Agenda + written in the other tab");

  await userEvent.click(screen.getByRole("button", { name: "Keep both" }));
  await waitFor(() => expect(stored.version).toBe(3), { timeout: 3000 });
  expect(stored.body).toBe("Agenda + written in the other tab\n\nAgenda + mine");
  expect(saves.at(-1)?.base_version).toBe(2);
  expect(screen.queryByRole("alert")).not.toBeInTheDocument();
});
