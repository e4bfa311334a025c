import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { ApiProblem, unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type Review = components["schemas"]["ReviewOut"];
export type ReviewPage = components["schemas"]["ReviewPageOut"];

export const reviewKeys = {
  booking: (bookingId: string) => [scopes.experts, "review", "booking", bookingId] as const,
  expert: (expertId: string) => [scopes.experts, "reviews", expertId] as const,
};

/** The client's review of a booking, or null before they write one (the API answers 404). */
export const bookingReviewQuery = (bookingId: string) =>
  queryOptions({
    queryKey: reviewKeys.booking(bookingId),
    queryFn: async (): Promise<Review | null> => {
      try {
        return unwrap(await api.GET("/v1/bookings/{booking_id}/review", { params: { path: { booking_id: bookingId } } }));
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404) return null;
        throw error;
      }
    },
  });

/** A listed expert's rating summary and latest visible reviews. */
export const expertReviewsQuery = (expertId: string) =>
  queryOptions({
    queryKey: reviewKeys.expert(expertId),
    queryFn: async () => unwrap(await api.GET("/v1/experts/{expert_id}/reviews", { params: { path: { expert_id: expertId }, query: { limit: 10 } } })),
  });

export function useCreateReview(bookingId: string, expertId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { rating: number; text: string }): Promise<Review> =>
      unwrap(await api.POST("/v1/bookings/{booking_id}/review", { params: { path: { booking_id: bookingId } }, body })),
    onSuccess: (review) => {
      queryClient.setQueryData(reviewKeys.booking(bookingId), review);
      void queryClient.invalidateQueries({ queryKey: reviewKeys.expert(expertId) });
      void queryClient.invalidateQueries({ queryKey: [scopes.experts] });
    },
  });
}
