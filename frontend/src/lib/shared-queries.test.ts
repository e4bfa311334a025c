import { QueryClient } from "@tanstack/react-query";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, expect, test } from "vitest";
import { scopes, scopesAffectedBy } from "./query-scopes";
import { bookingQuery, myExpertProfileQuery, mySlotsQuery, sharedKeys } from "./shared-queries";

let bookingReads = 0;
const server = setupServer(
  http.get("*/v1/bookings/:id", ({ params }) => {
    bookingReads += 1;
    return HttpResponse.json({ id: params.id, status: "confirmed" });
  }),
);

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
beforeEach(() => {
  bookingReads = 0;
});

test("a booking read for one screen is the one every screen reads, fetched once", async () => {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 60_000 } } });

  const first = await client.fetchQuery(bookingQuery("b1"));
  const again = await client.ensureQueryData(bookingQuery("b1"));

  expect(again).toBe(first);
  expect(bookingReads).toBe(1);
});

test("what a mutation writes under the shared key is what the factory's readers get", () => {
  const client = new QueryClient();
  const moved = { id: "b2", status: "confirmed" };

  client.setQueryData(sharedKeys.booking("b2"), moved as never);

  expect(client.getQueryData(bookingQuery("b2").queryKey)).toBe(moved);
});

test("a feature's own options keep the shared key", () => {
  const withOwnStaleTime = { ...myExpertProfileQuery(), staleTime: 300_000 };

  expect(withOwnStaleTime.queryKey).toEqual(sharedKeys.myExpertProfile());
});

test("live events reach shared data through its scope", () => {
  expect(scopesAffectedBy("booking.confirmed")).toContain(sharedKeys.booking("b1")[0]);
  expect(scopesAffectedBy("booking.rescheduled")).toContain(sharedKeys.bookingEvents("b1")[0]);
  expect(scopesAffectedBy("booking.cancelled")).toContain(mySlotsQuery("a1", "2026-12-01", "2026-12-08").queryKey[0]);
  expect(sharedKeys.myAvailability()[0]).toBe(scopes.availability);
});
