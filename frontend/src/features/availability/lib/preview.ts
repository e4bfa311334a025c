import { addDays, format } from "date-fns";
import { groupByLocalDay, parseDay, startOfLocalDay } from "@/lib/time";

/**
 * The live preview: the API's real slots for the next days, laid out by the local calendar day they
 * start on in the zone being viewed. Days advance by calendar date, never by 24 hours, so a day with a
 * clock change (23 or 25 hours) is neither skipped nor shown twice, and every slot keeps its instant.
 */
export interface PreviewDay {
  day: string;
  slots: string[];
}

/** `count` consecutive calendar days (yyyy-MM-dd) starting at `firstDay`. */
export function previewDays(firstDay: string, count: number): string[] {
  const first = parseDay(firstDay);
  return Array.from({ length: count }, (_, i) => format(addDays(first, i), "yyyy-MM-dd"));
}

/** The window to ask the API for: from the first day's local midnight to the midnight after the last day. */
export function previewWindow(firstDay: string, count: number, zone: string): { from: string; to: string } {
  const days = previewDays(firstDay, count + 1);
  return {
    from: startOfLocalDay(days[0] as string, zone).toISOString(),
    to: startOfLocalDay(days[count] as string, zone).toISOString(),
  };
}

/** One column per day with the slots that start on it in `zone` (slots outside the days are left out). */
export function previewColumns(slots: readonly string[], zone: string, firstDay: string, count: number): PreviewDay[] {
  const byDay = groupByLocalDay(slots, zone);
  return previewDays(firstDay, count).map((day) => ({ day, slots: byDay.get(day) ?? [] }));
}
