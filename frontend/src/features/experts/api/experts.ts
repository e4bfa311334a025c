import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import { api } from "@/api/client";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export const expertKeys = {
  profile: (expertId: string) => [scopes.experts, "profile", expertId] as const,
  reviews: (expertId: string) => [scopes.experts, "reviews", expertId] as const,
};

/** An expert's public profile with their bookable areas. */
export const expertProfileQuery = (expertId: string) =>
  queryOptions({
    queryKey: expertKeys.profile(expertId),
    queryFn: async () => unwrap(await api.GET("/v1/experts/{expert_id}", { params: { path: { expert_id: expertId } } })),
  });

/** Clients' reviews of an expert, newest first, with the rating summary. */
export const expertReviewsQuery = (expertId: string) =>
  infiniteQueryOptions({
    queryKey: expertKeys.reviews(expertId),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) =>
      unwrap(await api.GET("/v1/experts/{expert_id}/reviews", { params: { path: { expert_id: expertId }, query: { limit: 5, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor,
  });
