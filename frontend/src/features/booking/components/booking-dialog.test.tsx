import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { usePreferences } from "@/lib/preferences";
import { BookingDialog } from "./booking-dialog";

const keys: (string | null)[] = [];
let answers: (() => Response)[] = [];
const server = setupServer(
  http.get("*/v1/bookings/cancellation-policy", () => HttpResponse.json({ full_refund_bps: 10000, late_refund_bps: 5000, late_window_seconds: 86400 })),
  http.post("*/v1/bookings", ({ request }) => {
    keys.push(request.headers.get("Idempotency-Key"));
    return answers.shift()!();
  }),
);

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
beforeEach(() => {
  keys.length = 0;
  usePreferences.setState({ timeZone: "Asia/Kathmandu", hourCycle: "h23" });
});

function renderDialog(onSlotTaken = vi.fn(), onOpenChange = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <BookingDialog
        open
        onOpenChange={onOpenChange}
        expert={{ id: "e1", full_name: "Eleanor Whitfield", time_zone: "America/New_York" }}
        area={{ id: "a1", title: "Tax check-up", category: "finance", description: "", duration_minutes: 60, price: { amount: 2500000, currency: "NGN" } }}
        slot="2026-12-07T14:00:00Z"
        onSlotTaken={onSlotTaken}
      />
    </QueryClientProvider>,
  );
  return { onSlotTaken, onOpenChange };
}

test("the confirmation shows both zones and the policy; a retry reuses the attempt's key; slot_taken says so", async () => {
  answers = [
    () => HttpResponse.error(),
    () => HttpResponse.json({ status: 409, code: "slot_taken", detail: "That time was just taken; pick another slot" }, { status: 409, headers: { "content-type": "application/problem+json" } }),
  ];
  const { onSlotTaken, onOpenChange } = renderDialog();
  expect(screen.getByTestId("booking-when")).toHaveTextContent("Mon 7 Dec 2026, 19:45");
  expect(screen.getByRole("dialog")).toHaveTextContent("09:00 for Eleanor (America/New York (GMT-5))");
  expect(await screen.findByText("Cancel more than 24 hours before the start and get 100% back; later, 50%.")).toBeInTheDocument();

  const user = userEvent.setup();
  await user.click(screen.getByRole("button", { name: /Confirm and pay/ }));
  expect(await screen.findByText(/could not reach ProcusMeet/)).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Try again" }));
  await vi.waitFor(() => expect(onSlotTaken).toHaveBeenCalledWith("That time was just taken; pick another slot"));
  expect(onOpenChange).toHaveBeenCalledWith(false);
  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).toBe(keys[0]);
});
