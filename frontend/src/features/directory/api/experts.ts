import { infiniteQueryOptions } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import { toQuery, type ExpertFilters } from "./filters";

const PAGE = 12;

export const directoryKeys = {
  list: (filters: ExpertFilters) => [scopes.experts, "directory", filters] as const,
};

/** The directory, a page at a time ("load more" follows `next_cursor`). */
export const directoryQuery = (filters: ExpertFilters) =>
  infiniteQueryOptions({
    queryKey: directoryKeys.list(filters),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET("/v1/experts", { params: { query: { ...toQuery(filters), limit: PAGE, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor,
  });

export { categoriesQuery } from "@/lib/shared-queries";
