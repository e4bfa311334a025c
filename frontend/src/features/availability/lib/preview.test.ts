import { describe, expect, it } from "vitest";
import { formatTime } from "@/lib/time";
import { previewColumns, previewDays, previewWindow } from "./preview";

describe("the live preview", () => {
  it("walks calendar days, so a 23-hour day is neither skipped nor repeated", () => {
    expect(previewDays("2027-03-13", 3)).toEqual(["2027-03-13", "2027-03-14", "2027-03-15"]);
    expect(previewDays("2027-10-30", 3)).toEqual(["2027-10-30", "2027-10-31", "2027-11-01"]);
  });

  it("asks for the window from local midnight to local midnight across a clock change", () => {
    // New York springs forward on 14 March 2027: midnight is 05:00Z before and 04:00Z after.
    expect(previewWindow("2027-03-13", 2, "America/New_York")).toEqual({
      from: "2027-03-13T05:00:00.000Z",
      to: "2027-03-15T04:00:00.000Z",
    });
  });

  it("shows 09:00 local on both sides of the change, though the UTC instants move by an hour", () => {
    const slots = ["2027-03-13T14:00:00Z", "2027-03-14T13:00:00Z", "2027-03-15T13:00:00Z", "2027-03-15T13:30:00Z"];
    const columns = previewColumns(slots, "America/New_York", "2027-03-13", 3);
    expect(columns.map((c) => c.day)).toEqual(["2027-03-13", "2027-03-14", "2027-03-15"]);
    expect(columns.map((c) => c.slots.map((s) => formatTime(s, "America/New_York", "h23")))).toEqual([
      ["09:00"],
      ["09:00"],
      ["09:00", "09:30"],
    ]);
  });

  it("regroups the same instants when viewed from another zone", () => {
    const slots = ["2027-03-14T23:30:00Z", "2027-03-15T01:00:00Z"];
    const london = previewColumns(slots, "Europe/London", "2027-03-14", 2);
    expect(london.map((c) => c.slots.length)).toEqual([1, 1]);
    const tokyo = previewColumns(slots, "Asia/Tokyo", "2027-03-14", 2);
    expect(tokyo.map((c) => c.slots.length)).toEqual([0, 2]);
  });
});
