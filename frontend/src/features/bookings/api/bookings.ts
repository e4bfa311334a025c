import { infiniteQueryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import { sharedKeys } from "@/lib/shared-queries";

export type Booking = components["schemas"]["BookingOut"];
export type When = "upcoming" | "past";

export const bookingsKeys = {
  all: [scopes.bookings] as const,
  list: (when: When) => [scopes.bookings, "list", when] as const,
};

export const myBookingsQuery = (when: When) =>
  infiniteQueryOptions({
    queryKey: bookingsKeys.list(when),
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) => unwrap(await api.GET("/v1/bookings", { params: { query: { when, limit: 20, cursor: pageParam } } })),
    getNextPageParam: (page) => page.next_cursor,
  });

export { bookingEventsQuery, bookingQuery } from "@/lib/shared-queries";

function useBookingAction<T>(run: (vars: T) => Promise<Booking>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (booking) => {
      queryClient.setQueryData(sharedKeys.booking(booking.id), booking);
      void queryClient.invalidateQueries({ queryKey: bookingsKeys.all });
    },
  });
}

export function useCancelBooking(id: string) {
  return useBookingAction(async ({ reason, idempotencyKey }: { reason: string; idempotencyKey: string }) =>
    unwrap(await api.POST("/v1/bookings/{booking_id}/cancel", { params: { path: { booking_id: id }, header: { "Idempotency-Key": idempotencyKey } }, body: { reason } })),
  );
}

export function useAnswerReschedule(id: string) {
  return useBookingAction(async (accept: boolean) =>
    unwrap(
      accept
        ? await api.POST("/v1/bookings/{booking_id}/reschedule/accept", { params: { path: { booking_id: id } } })
        : await api.POST("/v1/bookings/{booking_id}/reschedule/decline", { params: { path: { booking_id: id } }, body: {} }),
    ),
  );
}

/** Save the booking's calendar invite (.ics) as a file (it needs the bearer token, so it is not a plain link). */
export async function downloadInvite(id: string): Promise<void> {
  const blob = unwrap(await api.GET("/v1/bookings/{booking_id}/invite.ics", { params: { path: { booking_id: id } }, parseAs: "blob" }));
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `procusmeet-booking-${id.slice(0, 8)}.ics`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
