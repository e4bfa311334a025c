import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { useSession } from "@/api/session";
import { unwrap } from "@/lib/problem";
import { scopes } from "@/lib/query-scopes";
import { sharedKeys } from "@/lib/shared-queries";

export type ExpertProfile = components["schemas"]["ExpertProfileOut"];
export type ProfileUpdate = components["schemas"]["ExpertProfileUpdate"];

export { myAreasQuery, myAvailabilityQuery as myHoursQuery, myExpertProfileQuery as myProfileQuery } from "@/lib/shared-queries";

/** A client starts offering consultations; the session learns the new role at once. */
export function useBecomeExpert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (timeZone: string) => {
      const profile = unwrap(await api.POST("/v1/experts/me/profile", { body: { time_zone: timeZone } }));
      useSession.getState().userChanged(unwrap(await api.GET("/v1/me")));
      return profile;
    },
    onSuccess: (profile) => queryClient.setQueryData(sharedKeys.myExpertProfile(), profile),
  });
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (changes: ProfileUpdate) => unwrap(await api.PATCH("/v1/experts/me/profile", { body: changes })),
    onSuccess: (profile) => {
      queryClient.setQueryData(sharedKeys.myExpertProfile(), profile);
      void queryClient.invalidateQueries({ queryKey: [scopes.availability] });
    },
  });
}
