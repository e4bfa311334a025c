import { describe, expect, it } from "vitest";
import {
  addRange,
  copyDay,
  dayErrors,
  emptyWeek,
  mergeRanges,
  nextRange,
  removeRange,
  ruleIndex,
  rulesToWeek,
  toMinutes,
  weekHasErrors,
  weeklyStretches,
  weekToRules,
} from "./weekly";

describe("times of day", () => {
  it("reads HH:MM with 24:00 as the end of the day", () => {
    expect(toMinutes("00:00")).toBe(0);
    expect(toMinutes("09:45")).toBe(585);
    expect(toMinutes("24:00")).toBe(1440);
    expect(toMinutes("24:15")).toBeNull();
    expect(toMinutes("9:00")).toBeNull();
  });
});

describe("merging and splitting ranges", () => {
  it("joins overlapping and touching ranges and sorts them", () => {
    expect(
      mergeRanges([
        { start: "13:00", end: "17:00" },
        { start: "09:00", end: "12:00" },
        { start: "12:00", end: "13:00" },
        { start: "16:00", end: "18:00" },
      ]),
    ).toEqual([{ start: "09:00", end: "18:00" }]);
    expect(addRange([{ start: "09:00", end: "10:00" }], { start: "11:00", end: "12:00" })).toEqual([
      { start: "09:00", end: "10:00" },
      { start: "11:00", end: "12:00" },
    ]);
  });

  it("keeps a range that ends at 24:00", () => {
    expect(mergeRanges([{ start: "22:00", end: "24:00" }, { start: "20:00", end: "22:30" }])).toEqual([
      { start: "20:00", end: "24:00" },
    ]);
  });

  it("splits a range around the hours taken out", () => {
    const day = [{ start: "09:00", end: "17:00" }];
    expect(removeRange(day, { start: "12:00", end: "13:00" })).toEqual([
      { start: "09:00", end: "12:00" },
      { start: "13:00", end: "17:00" },
    ]);
    expect(removeRange(day, { start: "08:00", end: "10:00" })).toEqual([{ start: "10:00", end: "17:00" }]);
    expect(removeRange(day, { start: "16:00", end: "24:00" })).toEqual([{ start: "09:00", end: "16:00" }]);
    expect(removeRange(day, { start: "07:00", end: "08:00" })).toEqual(day);
  });

  it("joins ranges across midnight into one stretch of the week", () => {
    const week = emptyWeek();
    week[0] = [{ start: "22:00", end: "24:00" }];
    week[1] = [{ start: "00:00", end: "02:00" }, { start: "09:00", end: "10:00" }];
    expect(weeklyStretches(week)).toEqual([
      [22 * 60, 26 * 60],
      [1440 + 9 * 60, 1440 + 10 * 60],
    ]);
  });

  it("suggests the next range after the day's last one, never past 24:00", () => {
    expect(nextRange([])).toEqual({ start: "09:00", end: "10:00" });
    expect(nextRange([{ start: "09:00", end: "12:00" }])).toEqual({ start: "13:00", end: "14:00" });
    expect(nextRange([{ start: "20:00", end: "23:30" }])).toEqual({ start: "23:00", end: "24:00" });
  });
});

describe("inline errors mirror the API", () => {
  it("names the time that is off the quarter hour, a backwards range and an overlap", () => {
    const errors = dayErrors([
      { start: "09:00", end: "12:00" },
      { start: "11:00", end: "13:00" },
      { start: "14:10", end: "15:00" },
      { start: "16:00", end: "15:00" },
      { start: "20:00", end: "24:00" },
    ]);
    expect(errors.map((e) => e && [e.code, e.part])).toEqual([
      null,
      ["overlapping_ranges", "range"],
      ["invalid_time", "start"],
      ["empty_time_range", "end"],
      null,
    ]);
    expect(errors[1]?.message).toBe("ranges on the same day must not overlap");
  });

  it("finds errors anywhere in the week", () => {
    const week = emptyWeek();
    week[4] = [{ start: "10:00", end: "10:00" }];
    expect(weekHasErrors(week)).toBe(true);
    expect(weekHasErrors(emptyWeek())).toBe(false);
  });
});

describe("the API's rules", () => {
  it("round-trips a week and maps rules[n] back to its row", () => {
    const week = emptyWeek();
    week[0] = [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "17:30" }];
    week[6] = [{ start: "22:00", end: "24:00" }];
    const rules = weekToRules(week);
    expect(rules).toEqual([
      { weekday: 0, start: "09:00", end: "12:00" },
      { weekday: 0, start: "13:00", end: "17:30" },
      { weekday: 6, start: "22:00", end: "24:00" },
    ]);
    expect(rulesToWeek(rules)).toEqual(week);
    expect(ruleIndex(week, 1)).toEqual({ weekday: 0, row: 1 });
    expect(ruleIndex(week, 2)).toEqual({ weekday: 6, row: 0 });
    expect(ruleIndex(week, 3)).toBeNull();
  });

  it("copies a day onto others, replacing their hours", () => {
    const week = emptyWeek();
    week[0] = [{ start: "09:00", end: "17:00" }];
    week[2] = [{ start: "06:00", end: "07:00" }];
    const copied = copyDay(week, 0, [1, 2, 3, 4]);
    expect(copied.slice(0, 5).every((day) => day.length === 1 && day[0]?.start === "09:00")).toBe(true);
    expect(copied[5]).toEqual([]);
    copied[1]?.push({ start: "18:00", end: "19:00" });
    expect(copied[0]).toHaveLength(1);
  });
});
