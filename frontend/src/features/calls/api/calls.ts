import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type Call = components["schemas"]["CallOut"];
export type CallBooking = components["schemas"]["BookingOut"];
export type CallToken = components["schemas"]["CallTokenOut"];

export const callKeys = {
  call: (id: string) => [scopes.calls, "detail", id] as const,
};

/** The call as the API sees it: its join window, who joined, whether it ended. */
export const callQuery = (bookingId: string) =>
  queryOptions({
    queryKey: callKeys.call(bookingId),
    queryFn: async () => unwrap(await api.GET("/v1/calls/{booking_id}", { params: { path: { booking_id: bookingId } } })),
  });

/** The booking behind the call: its time, the other person's name and zone. */
export { bookingQuery as callBookingQuery } from "@/lib/shared-queries";

/** A join token for the room (409 outside the window; 503 `video_unavailable` when the video server is down). */
export function useJoinToken(bookingId: string) {
  return useMutation({
    mutationFn: async (): Promise<CallToken> => unwrap(await api.POST("/v1/calls/{booking_id}/token", { params: { path: { booking_id: bookingId } } })),
  });
}

/** End the call for both (allowed once both have joined): the booking completes and the expert is paid. */
export function useEndCall(bookingId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<Call> => unwrap(await api.POST("/v1/calls/{booking_id}/end", { params: { path: { booking_id: bookingId } } })),
    onSuccess: (call) => {
      queryClient.setQueryData(callKeys.call(bookingId), call);
      void queryClient.invalidateQueries({ queryKey: [scopes.bookings] });
    },
  });
}
