import { queryOptions, useMutation } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type BookingRequest = components["schemas"]["BookingCreate"];

export const bookingKeys = {
  slots: (expertId: string, areaId: string, from: string, to: string) => [scopes.slots, expertId, areaId, from, to] as const,
  policy: () => [scopes.bookings, "cancellation-policy"] as const,
  payment: (reference: string) => [scopes.payments, reference] as const,
};

/** The expert's free start times (UTC instants) for one area in [from, to); grouped by day on the client. */
export const slotsQuery = (expertId: string, areaId: string, from: string, to: string) =>
  queryOptions({
    queryKey: bookingKeys.slots(expertId, areaId, from, to),
    queryFn: async () =>
      unwrap(await api.GET("/v1/experts/{expert_id}/slots", { params: { path: { expert_id: expertId }, query: { area_id: areaId, from, to } } })),
    staleTime: 15_000,
  });

export const cancellationPolicyQuery = () =>
  queryOptions({
    queryKey: bookingKeys.policy(),
    queryFn: async () => unwrap(await api.GET("/v1/bookings/cancellation-policy")),
    staleTime: 10 * 60_000,
  });

/**
 * Book a slot. `idempotencyKey` belongs to one attempt: a retry of that attempt (after a lost answer)
 * reuses it and gets the first answer back; a new attempt makes a new key.
 */
export function useCreateBooking() {
  return useMutation({
    mutationFn: async ({ body, idempotencyKey }: { body: BookingRequest; idempotencyKey: string }) =>
      unwrap(await api.POST("/v1/bookings", { body, params: { header: { "Idempotency-Key": idempotencyKey } } })),
  });
}

/** The payment behind a checkout reference, verified with Paystack by the API; polled while pending. */
export const paymentQuery = (reference: string) =>
  queryOptions({
    queryKey: bookingKeys.payment(reference),
    queryFn: async () => unwrap(await api.GET("/v1/payments/{reference}/verify", { params: { path: { reference } } })),
    refetchInterval: (query) => (query.state.data?.status === "pending" ? 2000 : false),
  });
