import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";

export type AvailabilityDoc = components["schemas"]["AvailabilityIO"];
export type Override = components["schemas"]["DateOverrideIO"];
export type BookingSettings = components["schemas"]["BookingSettingsIO"];
export type SlotCheck = components["schemas"]["SlotCheckOut"];
export type SlotList = components["schemas"]["SlotsOut"];
export type MyArea = components["schemas"]["AreaOut"];

export const availabilityKeys = {
  mine: () => [scopes.availability, "mine"] as const,
  areas: () => [scopes.availability, "areas"] as const,
  preview: (areaId: string, from: string, to: string) => [scopes.slots, "mine", areaId, from, to] as const,
  publicSlots: (expertId: string, areaId: string, from: string, to: string) => [scopes.slots, "public", expertId, areaId, from, to] as const,
  check: (areaId: string, start: string) => [scopes.slots, "check", areaId, start] as const,
};

export const myAvailabilityQuery = () =>
  queryOptions({
    queryKey: availabilityKeys.mine(),
    queryFn: async () => unwrap(await api.GET("/v1/experts/me/availability")),
  });

/** The expert's areas: the preview and the checker work per area (its call length). */
export const myAreasForSlotsQuery = () =>
  queryOptions({
    queryKey: availabilityKeys.areas(),
    queryFn: async () => unwrap(await api.GET("/v1/experts/me/areas")),
  });

/** Exactly the slots clients get, also while the profile is not listed yet. */
export const myPreviewQuery = (areaId: string, from: string, to: string) =>
  queryOptions({
    queryKey: availabilityKeys.preview(areaId, from, to),
    queryFn: async () => unwrap(await api.GET("/v1/experts/me/slots", { params: { query: { area_id: areaId, from, to } } })),
  });

export const slotCheckQuery = (areaId: string, start: string) =>
  queryOptions({
    queryKey: availabilityKeys.check(areaId, start),
    queryFn: async () => unwrap(await api.GET("/v1/experts/me/slot-check", { params: { query: { area_id: areaId, start } } })),
    staleTime: 0,
  });

/** Replace the whole document (weekly rules, overrides, settings, zone) in one go, as the API does. */
export function useSaveAvailability() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (doc: AvailabilityDoc) => unwrap(await api.PUT("/v1/experts/me/availability", { body: doc })),
    onSuccess: (saved) => {
      queryClient.setQueryData(availabilityKeys.mine(), saved);
      void queryClient.invalidateQueries({ queryKey: [scopes.slots] });
    },
  });
}
