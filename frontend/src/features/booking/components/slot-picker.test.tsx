import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { usePreferences } from "@/lib/preferences";
import { SlotPicker } from "./slot-picker";

// Two free starts on 8 March 2026, the day New York springs forward: 01:30 EST and 03:30 EDT.
const SLOTS = ["2026-03-08T06:30:00Z", "2026-03-08T07:30:00Z"];
const server = setupServer(
  http.get("*/v1/experts/:id/slots", () =>
    HttpResponse.json({ expert_id: "e", area_id: "a", from: "", to: "", duration_minutes: 60, slots: SLOTS }),
  ),
);

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-03-01T12:00:00Z") });
  usePreferences.setState({ timeZone: "America/New_York", hourCycle: "h23" });
});

function renderPicker(onSelect = vi.fn(), openOn: string | null = null) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <SlotPicker expertId="e" areaId="a" selected={null} onSelect={onSelect} openOn={openOn} />
    </QueryClientProvider>,
  );
  return onSelect;
}

test("the day's times are the slots' real local times, and a zone change regroups them", async () => {
  const onSelect = renderPicker();
  const times = await screen.findByRole("list", { name: "Free start times" });
  expect(within(times).getAllByRole("button").map((b) => b.textContent)).toEqual(["01:30", "03:30"]);
  expect(screen.getByRole("heading", { name: "Sun 8 Mar 2026" })).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Sunday 8 March, free times" })).toHaveAttribute("aria-pressed", "true");

  await userEvent.setup({ advanceTimers: vi.advanceTimersByTime }).click(within(times).getByRole("button", { name: "03:30" }));
  expect(onSelect).toHaveBeenCalledWith("2026-03-08T07:30:00Z");

  act(() => usePreferences.setState({ timeZone: "Asia/Kathmandu", hourCycle: "h12" }));
  const kathmandu = await screen.findByRole("list", { name: "Free start times" });
  expect(within(kathmandu).getAllByRole("button").map((b) => b.textContent)).toEqual(["12:15 PM", "1:15 PM"]);
});

test("it opens on the day the client asked for, or on the first free day when that one has no times", async () => {
  // 10 March 2026, 14:00 EDT, besides the two on the 8th.
  server.use(
    http.get("*/v1/experts/:id/slots", () =>
      HttpResponse.json({ expert_id: "e", area_id: "a", from: "", to: "", duration_minutes: 60, slots: [...SLOTS, "2026-03-10T18:00:00Z"] }),
    ),
  );
  renderPicker(vi.fn(), "2026-03-10");
  expect(await screen.findByRole("heading", { name: "Tue 10 Mar 2026" })).toBeInTheDocument();
  expect(within(screen.getByRole("list", { name: "Free start times" })).getAllByRole("button").map((b) => b.textContent)).toEqual(["14:00"]);
  cleanup();

  renderPicker(vi.fn(), "2026-03-09");
  expect(await screen.findByRole("heading", { name: "Sun 8 Mar 2026" })).toBeInTheDocument();
  cleanup();

  // A day already past is not opened on.
  renderPicker(vi.fn(), "2026-02-27");
  expect(await screen.findByRole("heading", { name: "Sun 8 Mar 2026" })).toBeInTheDocument();
  expect(screen.getByText("March 2026")).toBeInTheDocument();
});
