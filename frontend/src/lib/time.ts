import { TZDate } from "@date-fns/tz";
import { addDays, endOfMonth, format, startOfMonth } from "date-fns";

/**
 * Times arrive from the API as UTC instants (ISO 8601) and are shown in the viewer's IANA zone.
 * Everything here starts from the instant, so changing the zone re-renders every time correctly,
 * including on days when the clocks change.
 */
export type HourCycle = "h12" | "h23";

/** Old names some browsers still report (Chromium says "Asia/Katmandu"), and the names in use today. */
const RENAMED: Record<string, string> = {
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Rangoon": "Asia/Yangon",
  "Europe/Kiev": "Europe/Kyiv",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "America/Godthab": "America/Nuuk",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Africa/Asmera": "Africa/Asmara",
};

export function canonicalZone(zone: string): string {
  return RENAMED[zone] ?? zone;
}

// Building an Intl.DateTimeFormat is slow (milliseconds on a phone), and every time on a page asks for
// the viewer's zone and clock: what does not change while the page is open is worked out once.
let browserZone: string | null = null;
const hourCycles = new Map<string, HourCycle>();
const offsetFormats = new Map<string, Intl.DateTimeFormat>();

export function browserTimeZone(): string {
  browserZone ??= canonicalZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");
  return browserZone;
}

export function localeHourCycle(locale?: string): HourCycle {
  const key = locale ?? "";
  let cycle = hourCycles.get(key);
  if (!cycle) {
    const resolved = new Intl.DateTimeFormat(locale, { hour: "numeric" }).resolvedOptions().hourCycle;
    cycle = resolved === "h11" || resolved === "h12" ? "h12" : "h23";
    hourCycles.set(key, cycle);
  }
  return cycle;
}

let zones: string[] | null = null;

/** Every IANA zone the browser knows, with UTC first. */
export function allTimeZones(): string[] {
  if (!zones) {
    const known = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
    zones = ["UTC", ...new Set(known.filter((z) => z !== "UTC").map(canonicalZone))].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b)));
  }
  return zones;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function inZone(instant: string | Date, zone: string): TZDate {
  return new TZDate(typeof instant === "string" ? new Date(instant).getTime() : instant.getTime(), zone);
}

/** The calendar day (yyyy-MM-dd) an instant falls on in a zone. */
export function localDay(instant: string | Date, zone: string): string {
  return format(inZone(instant, zone), "yyyy-MM-dd");
}

export function formatTime(instant: string | Date, zone: string, cycle: HourCycle): string {
  return format(inZone(instant, zone), cycle === "h12" ? "h:mm a" : "HH:mm");
}

export function formatDate(instant: string | Date, zone: string): string {
  return format(inZone(instant, zone), "EEE d MMM yyyy");
}

export function formatDateTime(instant: string | Date, zone: string, cycle: HourCycle): string {
  return `${formatDate(instant, zone)}, ${formatTime(instant, zone, cycle)}`;
}

/** "GMT+5:45" for Kathmandu, "GMT-5" for New York in winter: the offset in force at that instant. */
export function zoneOffset(zone: string, at: Date = new Date()): string {
  let formatter = offsetFormats.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "shortOffset" });
    offsetFormats.set(zone, formatter);
  }
  const part = formatter
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName");
  return part?.value ?? "GMT";
}

export function zoneLabel(zone: string, at: Date = new Date()): string {
  return `${zone.replaceAll("_", " ")} (${zoneOffset(zone, at)})`;
}

/** Slots (UTC instants) grouped by the local calendar day they start on, in time order. */
export function groupByLocalDay(instants: readonly string[], zone: string): Map<string, string[]> {
  const sorted = [...instants].sort((a, b) => Date.parse(a) - Date.parse(b));
  const days = new Map<string, string[]>();
  for (const instant of sorted) {
    const day = localDay(instant, zone);
    const list = days.get(day);
    if (list) list.push(instant);
    else days.set(day, [instant]);
  }
  return days;
}

/** The days (yyyy-MM-dd) of the month containing `day`, in the month grid's order. */
export function monthDays(day: string): string[] {
  const first = startOfMonth(parseDay(day));
  const last = endOfMonth(first);
  const out: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) out.push(format(d, "yyyy-MM-dd"));
  return out;
}

/** A yyyy-MM-dd day as a plain local Date (for calendar arithmetic only, never for instants). */
export function parseDay(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/** The UTC instant at which a local day begins in a zone (a DST change never moves it off the day). */
export function startOfLocalDay(day: string, zone: string): Date {
  return instantAt(day, "00:00", zone);
}

/**
 * The instant a zone's wall clock names by a day (yyyy-MM-dd) and a time (HH:mm, as a time input
 * holds it). A time the clocks skip (a spring-forward gap) names the instant the zone resolves it to.
 */
export function instantAt(day: string, time: string, zone: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  const [hours, minutes] = time.split(":").map(Number);
  return new Date(new TZDate(y ?? 1970, (m ?? 1) - 1, d ?? 1, hours ?? 0, minutes ?? 0, zone).getTime());
}

/** An instant's wall time in a zone as a time input holds it (HH:mm, 24-hour, whatever the viewer's clock). */
export function wallTime(instant: string | Date, zone: string): string {
  return format(inZone(instant, zone), "HH:mm");
}

/** The day after a yyyy-MM-dd day. */
export function nextDay(day: string): string {
  return format(addDays(parseDay(day), 1), "yyyy-MM-dd");
}
