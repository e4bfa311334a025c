import { expect, test } from "vitest";
import { filtersFromParams, filtersToParams, freeBetweenIn, localWindow, toQuery } from "./filters";

test("filters survive the round trip through the URL", () => {
  const url = "q=tax+adviser&category=finance&min_price=50&max_price=300&language=en&free_within_days=7&sort=soonest";
  const filters = filtersFromParams(new URLSearchParams(url));
  expect(filters).toEqual({ q: "tax adviser", category: "finance", minPrice: 50, maxPrice: 300, language: "en", freeWithinDays: 7, freeBetween: null, sort: "soonest" });
  expect(filtersToParams(filters).toString()).toBe(url);
});

test("unset and invalid values are dropped, so equal filters give equal links", () => {
  const filters = filtersFromParams(new URLSearchParams("q=%20&min_price=-3&max_price=abc&free_within_days=99&sort=cheapest&utm=x"));
  expect(filters).toEqual({ q: "", category: "", minPrice: null, maxPrice: null, language: "", freeWithinDays: null, freeBetween: null, sort: null });
  expect(filtersToParams(filters).toString()).toBe("");
});

test("prices go to the API in minor units", () => {
  const query = toQuery(filtersFromParams(new URLSearchParams("min_price=50&max_price=300")));
  expect(query).toMatchObject({ min_price: 5000, max_price: 30000, q: null, sort: null });
});

test("a free stretch travels as two UTC instants and reaches the API as they are", () => {
  const url = "free_from=2026-12-08T12%3A15%3A00Z&free_to=2026-12-08T15%3A15%3A00Z";
  const filters = filtersFromParams(new URLSearchParams(url));
  expect(filters.freeBetween).toEqual({ from: "2026-12-08T12:15:00Z", to: "2026-12-08T15:15:00Z" });
  expect(filtersToParams(filters).toString()).toBe(url);
  expect(toQuery(filters)).toMatchObject({ free_from: "2026-12-08T12:15:00Z", free_to: "2026-12-08T15:15:00Z" });
  // An offset in a shared link is the same instant, written back in UTC.
  const offset = filtersFromParams(new URLSearchParams("free_from=2026-12-08T18:00:00%2B05:45&free_to=2026-12-08T21:00:00%2B05:45"));
  expect(offset.freeBetween).toEqual({ from: "2026-12-08T12:15:00Z", to: "2026-12-08T15:15:00Z" });
});

test("a free stretch that is backwards, half given or not an instant is dropped", () => {
  for (const url of [
    "free_from=2026-12-08T15:00:00Z&free_to=2026-12-08T12:00:00Z",
    "free_from=2026-12-08T12:00:00Z&free_to=2026-12-08T12:00:00Z",
    "free_from=2026-12-08T12:00:00Z",
    "free_from=2026-12-08&free_to=2026-12-09",
    "free_from=tuesday&free_to=evening",
  ]) {
    const filters = filtersFromParams(new URLSearchParams(url));
    expect(filters.freeBetween, url).toBeNull();
    expect(toQuery(filters), url).toMatchObject({ free_from: null, free_to: null });
  }
});

test("a day and two times on the viewer's clock name real instants, across midnight and DST", () => {
  // Kathmandu is UTC+5:45 all year.
  expect(freeBetweenIn({ day: "2026-12-08", from: "18:00", to: "21:00" }, "Asia/Kathmandu")).toEqual({
    from: "2026-12-08T12:15:00Z",
    to: "2026-12-08T15:15:00Z",
  });
  // A "to" at or before "from" ends the next day.
  expect(freeBetweenIn({ day: "2026-12-08", from: "22:00", to: "01:00" }, "Asia/Kathmandu")).toEqual({
    from: "2026-12-08T16:15:00Z",
    to: "2026-12-08T19:15:00Z",
  });
  // New York springs forward at 02:00 on 8 March 2026: 01:00 EST to 04:00 EDT is two real hours.
  const spring = freeBetweenIn({ day: "2026-03-08", from: "01:00", to: "04:00" }, "America/New_York");
  expect(spring).toEqual({ from: "2026-03-08T06:00:00Z", to: "2026-03-08T08:00:00Z" });
  expect(localWindow(spring, "America/New_York")).toEqual({ day: "2026-03-08", from: "01:00", to: "04:00" });
  // The same instants on another clock.
  expect(localWindow({ from: "2026-12-08T12:15:00Z", to: "2026-12-08T15:15:00Z" }, "America/New_York")).toEqual({
    day: "2026-12-08",
    from: "07:15",
    to: "10:15",
  });
});
