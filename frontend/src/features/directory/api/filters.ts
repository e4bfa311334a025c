import type { components, operations } from "@/api/schema";

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
  sort: ExpertSort | null;
}

export const SORTS: { value: ExpertSort; label: string }[] = [
  { value: "relevance", label: "Best match" },
  { value: "rating", label: "Highest rated" },
  { value: "price", label: "Lowest price" },
  { value: "soonest", label: "Soonest available" },
];

const SORT_VALUES = new Set<string>(SORTS.map((s) => s.value));

function positiveInt(value: string | null, max = Number.MAX_SAFE_INTEGER): number | null {
  if (!value || !/^\d+$/.test(value)) return null;
  const n = Number(value);
  return n >= 0 && n <= max ? n : null;
}

export function filtersFromParams(params: URLSearchParams): ExpertFilters {
  const sort = params.get("sort");
  const days = positiveInt(params.get("free_within_days"), 62);
  return {
    q: params.get("q")?.trim() ?? "",
    category: params.get("category") ?? "",
    minPrice: positiveInt(params.get("min_price")),
    maxPrice: positiveInt(params.get("max_price")),
    language: params.get("language") ?? "",
    freeWithinDays: days && days > 0 ? days : null,
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
    sort: filters.sort,
  };
}
