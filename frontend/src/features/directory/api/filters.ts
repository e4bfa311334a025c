import type { components, operations } from "@/api/schema";
import { instantAt, localDay, nextDay, wallTime } from "@/lib/time";

export type ExpertSort = components["schemas"]["ExpertSort"];

/** The directory's filters, exactly as the URL holds them (shareable links; the back button restores them). */
export interface ExpertFilters {
  q: string;
  category: string;
  /** Whole currency units (the API takes minor units: see `toQuery`). */
  minPrice: number | null;
  maxPrice: number | null;
  language: string;
  freeWithinDays: number | null;
  freeBetween: FreeBetween | null;
  sort: ExpertSort | null;
}

/** When the client can meet: UTC instants (RFC 3339, whole seconds), `from` before `to`. */
export interface FreeBetween {
  from: string;
  to: string;
}

/** The same stretch as the form shows it: a day and two wall times in the viewer's zone. */
export interface LocalWindow {
  day: string;
  from: string;
  to: string;
}

export const SORTS: { value: ExpertSort; label: string }[] = [
  { value: "relevance", label: "Best match" },
  { value: "rating", label: "Highest rated" },
  { value: "price", label: "Lowest price" },
  { value: "soonest", label: "Soonest available" },
];

/** How far ahead the directory knows free slots (the API's `free_within_days` limit). */
export const KNOWN_DAYS = 62;

const SORT_VALUES = new Set<string>(SORTS.map((s) => s.value));

function positiveInt(value: string | null, max = Number.MAX_SAFE_INTEGER): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 0 && n <= max ? n : null;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function instantParam(value: string | null): number | null {
  if (!value || !RFC3339.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

function utcInstant(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function freeBetweenFromParams(params: URLSearchParams): FreeBetween | null {
  const from = instantParam(params.get("free_from"));
  const to = instantParam(params.get("free_to"));
  return from !== null && to !== null && from < to ? { from: utcInstant(from), to: utcInstant(to) } : null;
}

/**
 * The stretch a day and two wall times name in `zone`. A `to` at or before `from` is on the next day
 * (22:00 to 01:00 is three hours across midnight).
 */
export function freeBetweenIn({ day, from, to }: LocalWindow, zone: string): FreeBetween {
  const start = instantAt(day, from, zone).getTime();
  const end = instantAt(to > from ? day : nextDay(day), to, zone).getTime();
  return { from: utcInstant(start), to: utcInstant(end) };
}

/** What the form shows for a stretch in `zone`: the day it starts on and both wall times. */
export function localWindow(between: FreeBetween, zone: string): LocalWindow {
  return { day: localDay(between.from, zone), from: wallTime(between.from, zone), to: wallTime(between.to, zone) };
}

export function filtersFromParams(params: URLSearchParams): ExpertFilters {
  const sort = params.get("sort");
  const days = positiveInt(params.get("free_within_days"), KNOWN_DAYS);
  return {
    q: params.get("q")?.trim() ?? "",
    category: params.get("category") ?? "",
    minPrice: positiveInt(params.get("min_price")),
    maxPrice: positiveInt(params.get("max_price")),
    language: params.get("language") ?? "",
    freeWithinDays: days && days > 0 ? days : null,
    freeBetween: freeBetweenFromParams(params),
    sort: sort && SORT_VALUES.has(sort) ? (sort as ExpertSort) : null,
  };
}

/** Only the filters that are set, in a stable order, so equal filters give equal URLs. */
export function filtersToParams(filters: ExpertFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.category) params.set("category", filters.category);
  if (filters.minPrice !== null) params.set("min_price", String(filters.minPrice));
  if (filters.maxPrice !== null) params.set("max_price", String(filters.maxPrice));
  if (filters.language) params.set("language", filters.language);
  if (filters.freeWithinDays !== null) params.set("free_within_days", String(filters.freeWithinDays));
  if (filters.freeBetween) {
    params.set("free_from", filters.freeBetween.from);
    params.set("free_to", filters.freeBetween.to);
  }
  if (filters.sort) params.set("sort", filters.sort);
  return params;
}

export type ExpertQuery = NonNullable<operations["listExperts"]["parameters"]["query"]>;

/** The API's query for these filters (prices in minor units: every Paystack currency has 2 decimals). */
export function toQuery(filters: ExpertFilters): ExpertQuery {
  return {
    q: filters.q || null,
    category: filters.category || null,
    min_price: filters.minPrice === null ? null : filters.minPrice * 100,
    max_price: filters.maxPrice === null ? null : filters.maxPrice * 100,
    language: filters.language || null,
    free_within_days: filters.freeWithinDays,
    free_from: filters.freeBetween?.from ?? null,
    free_to: filters.freeBetween?.to ?? null,
    sort: filters.sort,
  };
}
