import { expect, test } from "vitest";
import { canonicalZone, formatTime, groupByLocalDay, localDay, monthDays, startOfLocalDay, zoneOffset } from "./time";

test("slots are grouped by the day they start on in the viewer's zone, across a DST change", () => {
  // New York springs forward on Sunday 8 March 2026 at 02:00 local (07:00 UTC).
  const slots = [
    "2026-03-08T13:00:00Z", // 09:00 EDT on the 8th
    "2026-03-08T04:30:00Z", // 23:30 EST on the 7th
    "2026-03-08T06:30:00Z", // 01:30 EST on the 8th, just before the change
    "2026-03-08T07:30:00Z", // 03:30 EDT on the 8th: 02:30 never happens
  ];
  const days = groupByLocalDay(slots, "America/New_York");
  expect([...days.keys()]).toEqual(["2026-03-07", "2026-03-08"]);
  expect(days.get("2026-03-08")!.map((s) => formatTime(s, "America/New_York", "h23"))).toEqual(["01:30", "03:30", "09:00"]);
  expect(days.get("2026-03-07")!.map((s) => formatTime(s, "America/New_York", "h12"))).toEqual(["11:30 PM"]);
});

test("the same instants land on other days in a zone ahead of UTC", () => {
  const days = groupByLocalDay(["2026-03-08T04:30:00Z", "2026-03-08T20:00:00Z"], "Asia/Kathmandu");
  expect([...days.entries()]).toEqual([
    ["2026-03-08", ["2026-03-08T04:30:00Z"]],
    ["2026-03-09", ["2026-03-08T20:00:00Z"]],
  ]);
  expect(formatTime("2026-03-08T04:30:00Z", "Asia/Kathmandu", "h23")).toBe("10:15");
});

test("a local day starts at its own midnight even on a 23-hour day", () => {
  expect(startOfLocalDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z");
  expect(startOfLocalDay("2026-03-09", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
  expect(localDay("2026-03-09T03:59:00Z", "America/New_York")).toBe("2026-03-08");
});

test("offsets and month grids", () => {
  expect(zoneOffset("Asia/Kathmandu", new Date("2026-01-01T00:00:00Z"))).toBe("GMT+5:45");
  expect(zoneOffset("America/New_York", new Date("2026-07-01T00:00:00Z"))).toBe("GMT-4");
  const february = monthDays("2026-02-14");
  expect(february).toHaveLength(28);
  expect(february[0]).toBe("2026-02-01");
});

test("old zone names some browsers report become today's names", () => {
  expect(canonicalZone("Asia/Katmandu")).toBe("Asia/Kathmandu");
  expect(canonicalZone("Europe/Kyiv")).toBe("Europe/Kyiv");
});
