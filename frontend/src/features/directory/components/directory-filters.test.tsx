import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, fireEvent, render, screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, expect, test, vi } from "vitest";
import { usePreferences } from "@/lib/preferences";
import { filtersFromParams, type ExpertFilters } from "../api/filters";
import { DirectoryFilters } from "./directory-filters";

const server = setupServer(http.get("*/v1/categories", () => HttpResponse.json([{ slug: "finance", name: "Finance" }])));

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterAll(() => server.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-06T09:00:00Z") });
  usePreferences.setState({ timeZone: "Asia/Kathmandu", hourCycle: "h12" });
});

function renderFilters(filters: ExpertFilters, onChange = vi.fn()) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <QueryClientProvider client={client}>
      <DirectoryFilters filters={filters} onChange={onChange} />
    </QueryClientProvider>,
  );
  const rerender = (next: ExpertFilters) =>
    view.rerender(
      <QueryClientProvider client={client}>
        <DirectoryFilters filters={next} onChange={onChange} />
      </QueryClientProvider>,
    );
  return { onChange, rerender };
}

const none = filtersFromParams(new URLSearchParams("q=tax"));

test("a day and a stretch on the viewer's clock apply once all three are set", () => {
  const { onChange } = renderFilters(none);
  expect(screen.getByLabelText("Day")).toHaveAttribute("min", "2026-12-06");
  expect(screen.getByLabelText("Day")).toHaveAttribute("max", "2027-02-06");
  fireEvent.change(screen.getByLabelText("Day"), { target: { value: "2026-12-08" } });
  fireEvent.change(screen.getByLabelText("From"), { target: { value: "18:00" } });
  expect(onChange).not.toHaveBeenCalled();
  fireEvent.change(screen.getByLabelText("To"), { target: { value: "21:00" } });
  expect(onChange).toHaveBeenLastCalledWith({ ...none, freeBetween: { from: "2026-12-08T12:15:00Z", to: "2026-12-08T15:15:00Z" } });
  expect(screen.getByTestId("free-on-hint")).toHaveTextContent("In your time zone, Asia/Kathmandu (GMT+5:45).");
});

test("a stretch across midnight says where it ends", () => {
  const { onChange } = renderFilters(none);
  fireEvent.change(screen.getByLabelText("Day"), { target: { value: "2026-12-08" } });
  fireEvent.change(screen.getByLabelText("From"), { target: { value: "22:00" } });
  fireEvent.change(screen.getByLabelText("To"), { target: { value: "01:00" } });
  expect(onChange).toHaveBeenLastCalledWith({ ...none, freeBetween: { from: "2026-12-08T16:15:00Z", to: "2026-12-08T19:15:00Z" } });
  expect(screen.getByTestId("free-on-hint")).toHaveTextContent("Ends at 01:00 the next day.");
});

test("a stretch from the URL shows on the viewer's clock, follows a zone change and clears", () => {
  const filters = filtersFromParams(new URLSearchParams("q=tax&free_from=2026-12-08T12:15:00Z&free_to=2026-12-08T15:15:00Z"));
  const { onChange, rerender } = renderFilters(filters);
  expect(screen.getByLabelText("Day")).toHaveValue("2026-12-08");
  expect(screen.getByLabelText("From")).toHaveValue("18:00");
  expect(screen.getByLabelText("To")).toHaveValue("21:00");

  act(() => usePreferences.setState({ timeZone: "America/New_York" }));
  expect(screen.getByLabelText("From")).toHaveValue("07:15");
  expect(screen.getByLabelText("To")).toHaveValue("10:15");
  // A new render with equal filters (parsed afresh from the URL) keeps what is shown.
  rerender(filtersFromParams(new URLSearchParams("q=tax&free_from=2026-12-08T12:15:00Z&free_to=2026-12-08T15:15:00Z")));
  expect(screen.getByLabelText("From")).toHaveValue("07:15");

  fireEvent.click(screen.getByRole("button", { name: "Any day" }));
  expect(onChange).toHaveBeenLastCalledWith({ ...filters, freeBetween: null });
  rerender({ ...filters, freeBetween: null });
  expect(screen.getByLabelText("Day")).toHaveValue("");
  expect(screen.queryByRole("button", { name: "Any day" })).toBeNull();
});

test("a half-filled stretch survives a re-render and a zone change, and is not applied", () => {
  const { onChange, rerender } = renderFilters(none);
  fireEvent.change(screen.getByLabelText("Day"), { target: { value: "2026-12-08" } });
  fireEvent.change(screen.getByLabelText("From"), { target: { value: "18:00" } });
  rerender(filtersFromParams(new URLSearchParams("q=tax")));
  expect(screen.getByLabelText("Day")).toHaveValue("2026-12-08");
  expect(screen.getByTestId("free-on-hint")).toHaveTextContent("Set the day and both times to filter.");
  act(() => usePreferences.setState({ timeZone: "Europe/London" }));
  expect(screen.getByLabelText("From")).toHaveValue("18:00");
  expect(screen.getByTestId("free-on-hint")).toHaveTextContent("In your time zone, Europe/London");
  expect(onChange).not.toHaveBeenCalled();
});

test("emptying a field of an applied stretch stops the filter and keeps the other fields", () => {
  const applied = "q=tax&free_from=2026-12-08T12:15:00Z&free_to=2026-12-08T15:15:00Z";
  const filters = filtersFromParams(new URLSearchParams(applied));
  const { onChange, rerender } = renderFilters(filters);
  fireEvent.change(screen.getByLabelText("From"), { target: { value: "" } });
  expect(onChange).toHaveBeenLastCalledWith({ ...filters, freeBetween: null });
  rerender(filtersFromParams(new URLSearchParams("q=tax")));
  expect(screen.getByLabelText("Day")).toHaveValue("2026-12-08");
  expect(screen.getByLabelText("From")).toHaveValue("");
  expect(screen.getByLabelText("To")).toHaveValue("21:00");
  expect(screen.getByTestId("free-on-hint")).toHaveTextContent("Set the day and both times to filter.");

  fireEvent.change(screen.getByLabelText("From"), { target: { value: "19:00" } });
  const later = { from: "2026-12-08T13:15:00Z", to: "2026-12-08T15:15:00Z" };
  expect(onChange).toHaveBeenLastCalledWith({ ...filters, freeBetween: later });
  rerender({ ...filters, freeBetween: later });
  expect(screen.getByLabelText("From")).toHaveValue("19:00");
  // A change from elsewhere (the back button, a link) replaces what the row shows.
  rerender(filtersFromParams(new URLSearchParams("q=tax")));
  expect(screen.getByLabelText("Day")).toHaveValue("");
  expect(screen.getByLabelText("To")).toHaveValue("");
});

test("on a narrow screen the filters fold behind a button that counts the active ones", () => {
  const filters = filtersFromParams(
    new URLSearchParams("q=tax&language=fr&free_from=2026-12-08T12:15:00Z&free_to=2026-12-08T15:15:00Z&sort=price"),
  );
  renderFilters(filters);
  const toggle = screen.getByRole("button", { name: "Filters · 2 on" });
  expect(toggle).toHaveAttribute("aria-expanded", "false");
  const fields = document.getElementById(toggle.getAttribute("aria-controls") ?? "");
  expect(fields).toHaveClass("hidden", "sm:flex");
  expect(fields).toContainElement(screen.getByLabelText("Day"));
  fireEvent.click(toggle);
  expect(toggle).toHaveAttribute("aria-expanded", "true");
  expect(fields).not.toHaveClass("hidden");
  expect(fields).not.toContainElement(screen.getByLabelText("Search experts"));
});

test("with no filter on, the button says only Filters", () => {
  renderFilters(none);
  expect(screen.getByRole("button", { name: "Filters" })).toHaveAttribute("aria-expanded", "false");
});
