/**
 * The weekly editor's model: per weekday (0 = Monday … 6 = Sunday) a list of half-open ranges of local
 * wall-clock time "HH:MM", on the quarter hour, with "24:00" for the end of the day. The API stores the
 * same thing as a flat list of rules; `weekToRules` / `rulesToWeek` convert, and `ruleIndex` maps the API's
 * error fields (`rules[3].end`) back to the row the person typed into.
 *
 * Checks mirror the API's (`procus.domain.availability`): the same codes and the same wording, so the
 * editor says what the server would say before anything is sent.
 */

export interface DayRange {
  start: string;
  end: string;
}

export type Week = DayRange[][];

export interface Rule {
  weekday: number;
  start: string;
  end: string;
}

export interface RangeError {
  code: "invalid_time" | "empty_time_range" | "overlapping_ranges";
  message: string;
  /** Which of the two times is wrong, or the whole range. */
  part: "start" | "end" | "range";
}

export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;
export const MINUTES_PER_DAY = 1440;
const QUARTER = 15;
const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export function emptyWeek(): Week {
  return Array.from({ length: 7 }, () => []);
}

/** Minutes after local midnight, or null when the text is not a time "HH:MM" (24:00 allowed). */
export function toMinutes(clock: string): number | null {
  if (!CLOCK.test(clock)) return null;
  const [h, m] = clock.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export function toClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function minutesOf(range: DayRange): [number, number] | null {
  const start = toMinutes(range.start);
  const end = toMinutes(range.end);
  return start === null || end === null ? null : [start, end];
}

/** The problem with one range on its own, as the API would name it. */
export function rangeError(range: DayRange): RangeError | null {
  for (const part of ["start", "end"] as const) {
    const minutes = toMinutes(range[part]);
    if (minutes === null || minutes % QUARTER !== 0) {
      return { code: "invalid_time", part, message: "times must be on the quarter hour between 00:00 and 24:00" };
    }
  }
  const [start, end] = minutesOf(range) as [number, number];
  if (start >= end) return { code: "empty_time_range", part: "end", message: "a range must end after it starts" };
  return null;
}

/** Per range of a day, its error (or null): its own problem first, then an overlap with an earlier-starting range. */
export function dayErrors(ranges: readonly DayRange[]): (RangeError | null)[] {
  const errors: (RangeError | null)[] = ranges.map(rangeError);
  const valid = ranges
    .map((range, index) => ({ index, minutes: errors[index] ? null : minutesOf(range) }))
    .filter((item): item is { index: number; minutes: [number, number] } => item.minutes !== null)
    .sort((a, b) => a.minutes[0] - b.minutes[0]);
  for (let i = 1; i < valid.length; i += 1) {
    const previous = valid[i - 1] as { minutes: [number, number] };
    const current = valid[i] as { index: number; minutes: [number, number] };
    if (current.minutes[0] < previous.minutes[1]) {
      errors[current.index] = { code: "overlapping_ranges", part: "range", message: "ranges on the same day must not overlap" };
    }
  }
  return errors;
}

export function weekHasErrors(week: Week): boolean {
  return week.some((day) => dayErrors(day).some((error) => error !== null));
}

/** The day's ranges sorted, with overlapping or touching ranges joined (09:00-12:00 + 12:00-13:00 = 09:00-13:00). */
export function mergeRanges(ranges: readonly DayRange[]): DayRange[] {
  const spans = ranges
    .map(minutesOf)
    .filter((m): m is [number, number] => m !== null && m[0] < m[1])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged.map(([start, end]) => ({ start: toClock(start), end: toClock(end) }));
}

/** The day's ranges with `cut` taken out: a range around the cut splits in two (a lunch break). */
export function removeRange(ranges: readonly DayRange[], cut: DayRange): DayRange[] {
  const taken = minutesOf(cut);
  if (!taken || taken[0] >= taken[1]) return mergeRanges(ranges);
  const out: DayRange[] = [];
  for (const range of mergeRanges(ranges)) {
    const [start, end] = minutesOf(range) as [number, number];
    if (taken[1] <= start || end <= taken[0]) {
      out.push(range);
      continue;
    }
    if (start < taken[0]) out.push({ start: toClock(start), end: toClock(taken[0]) });
    if (taken[1] < end) out.push({ start: toClock(taken[1]), end: toClock(end) });
  }
  return out;
}

/** Add a range to a day, joining it with what it overlaps or touches. */
export function addRange(ranges: readonly DayRange[], range: DayRange): DayRange[] {
  return mergeRanges([...ranges, range]);
}

/** A suggestion for the next range of a day: an hour after its last range ends (clamped to 24:00). */
export function nextRange(ranges: readonly DayRange[]): DayRange {
  const ends = ranges.map((r) => toMinutes(r.end)).filter((m): m is number => m !== null);
  const from = ends.length ? Math.min(Math.max(...ends) + 60, MINUTES_PER_DAY - 60) : 9 * 60;
  return { start: toClock(from), end: toClock(Math.min(from + 60, MINUTES_PER_DAY)) };
}

/** Copy one day's ranges onto other days (replacing theirs). */
export function copyDay(week: Week, from: number, to: readonly number[]): Week {
  const source = week[from] ?? [];
  return week.map((ranges, day) => (to.includes(day) && day !== from ? source.map((r) => ({ ...r })) : ranges));
}

export function rulesToWeek(rules: readonly Rule[]): Week {
  const week = emptyWeek();
  for (const rule of rules) week[rule.weekday]?.push({ start: rule.start, end: rule.end });
  return week.map((day) => [...day].sort((a, b) => (toMinutes(a.start) ?? 0) - (toMinutes(b.start) ?? 0)));
}

/** The API's rules in week order; `ruleIndex` gives each one's position in this list. */
export function weekToRules(week: Week): Rule[] {
  return week.flatMap((ranges, weekday) => ranges.map((range) => ({ weekday, start: range.start, end: range.end })));
}

/** Where `rules[n]` of `weekToRules(week)` sits in the editor: its weekday and row. */
export function ruleIndex(week: Week, n: number): { weekday: number; row: number } | null {
  let seen = 0;
  for (let weekday = 0; weekday < week.length; weekday += 1) {
    const count = week[weekday]?.length ?? 0;
    if (n < seen + count) return { weekday, row: n - seen };
    seen += count;
  }
  return null;
}

/**
 * Stretches of open time across the week in minutes from Monday 00:00, with ranges that touch across
 * midnight joined: Monday 22:00-24:00 and Tuesday 00:00-02:00 are one four-hour stretch.
 */
export function weeklyStretches(week: Week): [number, number][] {
  const spans: [number, number][] = [];
  week.forEach((ranges, day) => {
    for (const range of mergeRanges(ranges)) {
      const [start, end] = minutesOf(range) as [number, number];
      spans.push([day * MINUTES_PER_DAY + start, day * MINUTES_PER_DAY + end]);
    }
  });
  const joined: [number, number][] = [];
  for (const span of spans) {
    const last = joined[joined.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else joined.push([...span]);
  }
  return joined;
}
