import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import { myExpertProfileQuery } from "@/lib/shared-queries";

export type BookingRequest = components["schemas"]["BookingOut"];

export const requestKeys = {
  pending: () => [scopes.bookings, "expert", "pending"] as const,
};

/**
 * Requests waiting for this expert's answer, soonest call first. A new one arrives with the live stream,
 * whose `booking.requested` event invalidates every `bookings` query (see `scopesAffectedBy`).
 */
export const pendingRequestsQuery = () =>
  queryOptions({
    queryKey: requestKeys.pending(),
    queryFn: async () =>
      unwrap(await api.GET("/v1/bookings", { params: { query: { role: "expert", status: ["pending"], when: "upcoming", limit: 100 } } })),
  });

export const expertProfileQuery = () => queryOptions({ ...myExpertProfileQuery(), staleTime: 300_000 });

/** The expert's own free slots for an area, to propose another time from. */
export { mySlotsQuery as freeSlotsQuery } from "@/lib/shared-queries";

function useAnswer<T>(run: (input: T) => Promise<BookingRequest>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: [scopes.bookings] });
      void queryClient.invalidateQueries({ queryKey: [scopes.slots] });
    },
  });
}

const path = (id: string) => ({ params: { path: { booking_id: id } } });

export const useAccept = () => useAnswer(async (id: string) => unwrap(await api.POST("/v1/bookings/{booking_id}/accept", path(id))));

export const useDecline = () =>
  useAnswer(async ({ id, reason }: { id: string; reason: string }) =>
    unwrap(await api.POST("/v1/bookings/{booking_id}/decline", { ...path(id), body: { reason }, headers: { "Idempotency-Key": crypto.randomUUID() } })),
  );

export const usePropose = () =>
  useAnswer(async ({ id, start, reason }: { id: string; start: string; reason: string }) =>
    unwrap(await api.POST("/v1/bookings/{booking_id}/reschedule", { ...path(id), body: { start, reason: reason || null } })),
  );
