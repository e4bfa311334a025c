import { expect, test } from "vitest";
import { filtersFromParams, filtersToParams, toQuery } from "./filters";

test("filters survive the round trip through the URL", () => {
  const url = "q=tax+adviser&category=finance&min_price=50&max_price=300&language=en&free_within_days=7&sort=soonest";
  const filters = filtersFromParams(new URLSearchParams(url));
  expect(filters).toEqual({ q: "tax adviser", category: "finance", minPrice: 50, maxPrice: 300, language: "en", freeWithinDays: 7, sort: "soonest" });
  expect(filtersToParams(filters).toString()).toBe(url);
});

test("unset and invalid values are dropped, so equal filters give equal links", () => {
  const filters = filtersFromParams(new URLSearchParams("q=%20&min_price=-3&max_price=abc&free_within_days=99&sort=cheapest&utm=x"));
  expect(filters).toEqual({ q: "", category: "", minPrice: null, maxPrice: null, language: "", freeWithinDays: null, sort: null });
  expect(filtersToParams(filters).toString()).toBe("");
});

test("prices go to the API in minor units", () => {
  const query = toQuery(filtersFromParams(new URLSearchParams("min_price=50&max_price=300")));
  expect(query).toMatchObject({ min_price: 5000, max_price: 30000, q: null, sort: null });
});
