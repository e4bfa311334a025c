import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { beforeEach, expect, test } from "vitest";
import type { components } from "@/api/schema";
import { usePreferences } from "@/lib/preferences";
import { ExpertCard } from "./expert-card";

const EXPERT: components["schemas"]["ExpertCardOut"] = {
  id: "e1",
  full_name: "Eleanor Whitfield",
  headline: "Cross-border tax adviser",
  languages: ["en"],
  time_zone: "America/New_York",
  categories: ["finance"],
  from_price: { amount: 2_500_000, currency: "NGN" },
  rating_average: null,
  review_count: 0,
  next_available_at: "2026-12-07T14:00:00Z",
};

beforeEach(() => usePreferences.setState({ timeZone: "Asia/Kathmandu", hourCycle: "h12" }));

function renderCard(inStretch?: { start: string; area_id: string }) {
  render(
    <MemoryRouter>
      <ul>
        <ExpertCard expert={{ ...EXPERT, first_slot_between: inStretch }} />
      </ul>
    </MemoryRouter>,
  );
}

test("without a stretch the card links to the profile and gives the next free time", () => {
  renderCard();
  expect(screen.getByRole("link", { name: "Eleanor Whitfield" })).toHaveAttribute("href", "/experts/e1");
  expect(screen.getByText(/Next free/)).toHaveTextContent("Next free: Mon 7 Dec 2026, 7:45 PM");
  expect(screen.queryByText(/in your stretch/)).toBeNull();
});

test("under a stretch the card gives the first free time in it on the viewer's clock and opens the calendar on its day and area", () => {
  // 00:45 on 8 December in Kathmandu (UTC+5:45): a later day than "Next free".
  renderCard({ start: "2026-12-07T19:00:00Z", area_id: "a2" });
  expect(screen.getByText(/in your stretch/)).toHaveTextContent("First free in your stretch: Tue 8 Dec 2026, 12:45 AM");
  expect(screen.getByRole("link", { name: "Eleanor Whitfield" })).toHaveAttribute("href", "/experts/e1?area=a2&day=2026-12-08");
  expect(screen.getByText(/Next free/)).toBeInTheDocument();
});
