import { describe, expect, it } from "vitest";
import { formatCountdown, joinState } from "./join-window";

const opens = "2026-12-06T10:50:00Z";
const closes = "2026-12-06T12:15:00Z";

describe("joinState", () => {
  it("counts down to the opening, is open until the grace period ends, then over", () => {
    expect(joinState(opens, closes, Date.parse("2026-12-06T10:40:00Z"))).toEqual({ kind: "before", msLeft: 600_000 });
    expect(joinState(opens, closes, Date.parse(opens))).toEqual({ kind: "open", msLeft: 85 * 60_000 });
    expect(joinState(opens, closes, Date.parse(closes) - 1)).toEqual({ kind: "open", msLeft: 1 });
    expect(joinState(opens, closes, Date.parse(closes))).toEqual({ kind: "after" });
  });
});

describe("formatCountdown", () => {
  it("stays short at every scale", () => {
    expect(formatCountdown(249_000)).toBe("4:09");
    expect(formatCountdown(65 * 60_000)).toBe("1 h 05 min");
    expect(formatCountdown((2 * 24 + 3) * 3600_000)).toBe("2 d 3 h");
    expect(formatCountdown(-5)).toBe("0:00");
  });
});
