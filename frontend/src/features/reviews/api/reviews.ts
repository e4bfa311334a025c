import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { ApiProblem, unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type Review = components["schemas"]["ReviewOut"];

export const reviewKeys = {
  booking: (bookingId: string) => [scopes.experts, "review", "booking", bookingId] as const,
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

export function useCreateReview(bookingId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { rating: number; text: string }): Promise<Review> =>
      unwrap(await api.POST("/v1/bookings/{booking_id}/review", { params: { path: { booking_id: bookingId } }, body })),
    onSuccess: (review) => {
      queryClient.setQueryData(reviewKeys.booking(bookingId), review);
      // The expert's rating and review list (the experts feature's queries) change.
      void queryClient.invalidateQueries({ queryKey: [scopes.experts] });
    },
  });
}
