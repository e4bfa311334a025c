import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import { sharedKeys } from "@/lib/shared-queries";

export type AvailabilityDoc = components["schemas"]["AvailabilityIO"];
export type Override = components["schemas"]["DateOverrideIO"];
export type BookingSettings = components["schemas"]["BookingSettingsIO"];
export type SlotCheck = components["schemas"]["SlotCheckOut"];
export type SlotList = components["schemas"]["SlotsOut"];
export type MyArea = components["schemas"]["AreaOut"];

export const availabilityKeys = {
  check: (areaId: string, start: string) => [scopes.slots, "check", areaId, start] as const,
};

export { myAvailabilityQuery } from "@/lib/shared-queries";

/** The expert's areas: the preview and the checker work per area (its call length). */
export { myAreasQuery as myAreasForSlotsQuery } from "@/lib/shared-queries";

export { mySlotsQuery as myPreviewQuery } from "@/lib/shared-queries";

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
      queryClient.setQueryData(sharedKeys.myAvailability(), saved);
      void queryClient.invalidateQueries({ queryKey: [scopes.slots] });
    },
  });
}
